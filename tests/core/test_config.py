"""Config: sections per environment, environment overrides, production refusals."""

import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_environment_variable_overrides_any_key(monkeypatch):
    monkeypatch.setenv("ORDER_EXPIRE_SECONDS", "60")
    monkeypatch.setenv("WX_APP_ID", "wx-from-env")
    settings = load_config("testing")
    assert settings["ORDER_EXPIRE_SECONDS"] == 60
    assert settings["WX_APP_ID"] == "wx-from-env"


def test_sections_differ_by_environment():
    assert load_config("testing")["TESTING"] is True
    assert load_config("production")["SWAGGER_ENABLED"] is False
    assert load_config("development")["CORS_ORIGINS"] == "*"
    assert load_config("production")["CORS_ORIGINS"] == ""


def test_unknown_env_mode_is_refused():
    with pytest.raises(ConfigError):
        load_config("staging")


@pytest.mark.parametrize("secret", ["", "dev-secret-change-me", "short"])
def test_production_refuses_default_or_weak_secret(secret):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": secret}, env_mode="production")


def test_production_refuses_debug():
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app({"SECRET_KEY": "x" * 40, "DEBUG": True}, env_mode="production")


def test_server_exits_with_one_clear_line_in_production_without_secret(tmp_path):
    env = {
        "ENV_MODE": "production",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import server"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "mini-shop-server refuses to start: production needs a real SECRET_KEY: set the "
        "SECRET_KEY environment variable to a random value of at least 32 characters"
    ]


def test_production_with_real_secret_starts_without_docs(make_app):
    app = make_app(
        env_mode="production", SECRET_KEY="s" * 40, PUBLIC_BASE_URL="https://shop.example.com"
    )
    client = app.test_client()
    assert client.get("/apidocs/").status_code == 404
    assert client.get("/error_code").status_code == 404
    assert app.debug is False


@pytest.mark.parametrize("base", ["", "shop.example.com", "ftp://shop.example.com", "https://"])
def test_production_refuses_to_start_without_public_base_url(base):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL") as refused:
        create_app({"SECRET_KEY": "s" * 40, "PUBLIC_BASE_URL": base}, env_mode="production")
    assert "\n" not in str(refused.value)


def test_development_without_public_base_url_serves_the_dev_server_address(make_app):
    app = make_app(env_mode="development", PUBLIC_BASE_URL="")
    with app.test_request_context("/", headers={"Host": "attacker.example"}):
        from app.core.urls import static_image_url

        assert static_image_url("a.png") == "http://127.0.0.1:5000/static/images/a.png"
