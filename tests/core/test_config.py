"""Config: the settings registry, config.ini sections, environment and create_app() overrides,
the README table, production refusals."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import app.config as config_module
from app import create_app
from app.config import SETTINGS, ConfigError, load_config, settings_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ini(tmp_path, monkeypatch):
    """Write a config.ini of the given text and make load_config() read it."""

    def write(text: str) -> Path:
        path = tmp_path / "config.ini"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(config_module, "CONFIG_FILE", path)
        return path

    return write


def _one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------ environment


def test_environment_variable_overrides_any_key(monkeypatch):
    monkeypatch.setenv("ORDER_EXPIRE_SECONDS", "60")
    monkeypatch.setenv("WX_APP_ID", "wx-from-env")
    settings = load_config("testing")
    assert settings["ORDER_EXPIRE_SECONDS"] == 60
    assert settings["WX_APP_ID"] == "wx-from-env"


def test_environment_overrides_a_key_absent_from_config_ini(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "2.1.0")
    monkeypatch.setenv("MIGRATIONS_DIR", "/srv/migrations")
    settings = load_config("testing")
    assert settings["APP_VERSION"] == "2.1.0"
    assert settings["MIGRATIONS_DIR"] == "/srv/migrations"


def test_environment_digits_stay_text_for_a_text_setting(monkeypatch):
    monkeypatch.setenv("WX_APP_SECRET", "0123")
    monkeypatch.setenv("WECHATPAY_MCHID", "0190000000")
    monkeypatch.setenv("SECRET_KEY", "true")
    settings = load_config("testing")
    assert settings["WX_APP_SECRET"] == "0123"
    assert settings["WECHATPAY_MCHID"] == "0190000000"
    assert settings["SECRET_KEY"] == "true"


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("ORDER_MAX_LINES", " 7 ", 7),
        ("DEBUG", "Yes", True),
        ("RATELIMIT_ENABLED", "0", False),
        ("WX_TIMEOUT", "2.5", 2.5),
        (
            "CORS_ORIGINS",
            "https://a.example.com, https://b.example.com,",
            ("https://a.example.com", "https://b.example.com"),
        ),
        ("CORS_ORIGINS", "", ()),
        ("STORAGE_BACKEND", "S3", "s3"),
        ("LOG_LEVEL", "warning", "WARNING"),
        ("RATELIMIT_LOGIN", "3/minute;100/day", "3/minute;100/day"),
        ("TIMEZONE", "Europe/Paris", "Europe/Paris"),
    ],
)
def test_environment_value_is_parsed_by_its_declared_type(monkeypatch, name, text, value):
    monkeypatch.setenv(name, text)
    assert load_config("development")[name] == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ORDER_MAX_LINES", "abc"),
        ("ORDER_MAX_LINES", "-1"),
        ("ORDER_MAX_LINES", ""),
        ("DEBUG", "maybe"),
        ("WX_TIMEOUT", "fast"),
        ("RATELIMIT_LOGIN", "often"),
        ("TIMEZONE", "Mars/Olympus"),
        ("STORAGE_BACKEND", "ftp"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_environment_bad_value_is_a_one_line_error_naming_the_key(monkeypatch, name, text):
    monkeypatch.setenv(name, text)
    with pytest.raises(ConfigError) as excinfo:
        load_config("development")
    assert _one_line_error(excinfo).startswith(f"environment: {name} must be ")


def test_environment_variables_that_are_not_settings_are_ignored(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    assert "GUNICORN_THREADS" not in load_config("development")


# ------------------------------------------------------------ config.ini


def test_sections_differ_by_environment():
    assert load_config("testing")["TESTING"] is True
    assert load_config("development")["TESTING"] is False
    assert load_config("production")["SWAGGER_ENABLED"] is False
    assert load_config("development")["CORS_ORIGINS"] == ("*",)
    assert load_config("production")["CORS_ORIGINS"] == ()


def test_unknown_env_mode_is_refused():
    with pytest.raises(ConfigError):
        load_config("staging")


def test_ini_default_section_applies_to_every_environment_and_a_section_wins(ini):
    ini("[DEFAULT]\nORDER_MAX_LINES = 5\nADDRESS_MAX = 3\n[production]\nORDER_MAX_LINES = 9\n")
    assert load_config("development")["ORDER_MAX_LINES"] == 5
    assert load_config("production")["ORDER_MAX_LINES"] == 9
    assert load_config("production")["ADDRESS_MAX"] == 3
    assert load_config("testing")["FILE_MAX_COUNT"] == SETTINGS["FILE_MAX_COUNT"].default


def test_ini_unknown_key_is_refused_in_any_section(ini):
    ini("[production]\nORDER_MAX_LINE = 5\n")
    with pytest.raises(ConfigError) as excinfo:
        load_config("development")
    assert _one_line_error(excinfo) == (
        "config.ini [production]: unknown setting ORDER_MAX_LINE (declare it in app/config.py)"
    )


def test_ini_unknown_section_is_refused(ini):
    ini("[prodution]\nDEBUG = false\n")
    with pytest.raises(ConfigError, match=r"unknown section \[prodution\]"):
        load_config("development")


def test_ini_bad_value_is_refused_naming_section_and_key(ini):
    ini("[testing]\nFILE_MAX_SIZE = 20 MB\n")
    with pytest.raises(ConfigError) as excinfo:
        load_config("production")
    assert _one_line_error(excinfo) == (
        "config.ini [testing]: FILE_MAX_SIZE must be a whole number >= 0, not '20 MB'"
    )


@pytest.mark.parametrize("section", ["DEFAULT", "production"])
def test_ini_secret_where_production_reads_it_is_refused(ini, section):
    ini(f"[{section}]\nWX_APP_SECRET = s3cr3t\n")
    with pytest.raises(ConfigError) as excinfo:
        load_config("development")
    message = _one_line_error(excinfo)
    assert "WX_APP_SECRET is a secret" in message and "s3cr3t" not in message


def test_ini_secret_in_testing_section_is_allowed(ini):
    ini("[testing]\nWX_APP_SECRET = test-only\n[production]\nWX_APP_SECRET =\n")
    assert load_config("testing")["WX_APP_SECRET"] == "test-only"


def test_ini_env_mode_is_refused(ini):
    ini("[DEFAULT]\nENV_MODE = production\n")
    with pytest.raises(ConfigError, match="ENV_MODE is read from the environment only"):
        load_config("development")


def test_shipped_ini_sets_only_declared_keys():
    sections = config_module.read_ini(config_module.CONFIG_FILE)
    assert set(sections) == {"DEFAULT", "development", "testing", "production"}
    assert sections["testing"]["TESTING"] is True


# ------------------------------------------------------------ create_app() overrides


def test_override_of_an_unknown_key_is_refused():
    with pytest.raises(ConfigError, match="RATELIMIT_ENABLE is not a setting"):
        load_config("testing", {"RATELIMIT_ENABLE": True})


@pytest.mark.parametrize(
    ("name", "value", "parsed"),
    [
        ("ORDER_MAX_LINES", 5, 5),
        ("ORDER_MAX_LINES", "5", 5),
        ("DEBUG", True, True),
        ("WX_TIMEOUT", 2, 2),
        (
            "CORS_ORIGINS",
            "https://a.example.com, https://b.example.com",
            ("https://a.example.com", "https://b.example.com"),
        ),
        ("CORS_ORIGINS", ["https://a.example.com"], ("https://a.example.com",)),
    ],
)
def test_override_is_parsed_or_kept_by_its_declared_type(name, value, parsed):
    assert load_config("testing", {name: value})[name] == parsed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ORDER_MAX_LINES", True),
        ("ORDER_MAX_LINES", 2.5),
        ("ORDER_MAX_LINES", -1),
        ("DEBUG", 1),
        ("SECRET_KEY", 123),
        ("CORS_ORIGINS", None),
    ],
)
def test_override_of_the_wrong_type_is_refused(name, value):
    with pytest.raises(ConfigError) as excinfo:
        load_config("testing", {name: value})
    assert _one_line_error(excinfo).startswith(f"create_app(config=...): {name} must be ")


def test_error_about_a_secret_does_not_show_its_value():
    with pytest.raises(ConfigError, match="WX_APP_SECRET must be text") as excinfo:
        load_config("testing", {"WX_APP_SECRET": 987654})
    assert "987654" not in str(excinfo.value)


def test_override_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("ADDRESS_MAX", "7")
    assert load_config("testing", {"ADDRESS_MAX": 2})["ADDRESS_MAX"] == 2


def test_derived_keys_follow_the_settings(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    settings = load_config("testing", {"DATABASE_URL": url, "MAX_CONTENT_LENGTH": 0})
    assert settings["SQLALCHEMY_DATABASE_URI"] == url
    assert settings["SQLALCHEMY_BINDS"] == {}
    assert settings["SQLALCHEMY_RECORD_QUERIES"] is True
    assert settings["MAX_CONTENT_LENGTH"] is None
    mysql = load_config("testing", {"DATABASE_REPLICA_URL": "mysql+pymysql://r@h/db"})
    assert mysql["SQLALCHEMY_BINDS"] == {"replica": "mysql+pymysql://r@h/db?charset=utf8mb4"}


# ------------------------------------------------------------ the registry


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_default_has_its_declared_type(name):
    setting = SETTINGS[name]
    assert setting.check(setting.default, "default") == setting.default
    assert setting.help and "\n" not in setting.help


def _app_sources():
    """The app's modules that read settings (app/config.py declares them)."""
    return sorted(path for path in (ROOT / "app").rglob("*.py") if path.name != "config.py")


def test_app_code_repeats_no_default_of_a_setting():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _app_sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bconfig\.get\(", line)
    ]
    assert found == [], "read settings as config[KEY]; the default lives in app/config.py"


def test_every_setting_the_app_reads_is_declared():
    derived = {"SQLALCHEMY_DATABASE_URI", "SWAGGER"}  # computed in _derive / by the factory
    read = {
        key
        for path in _app_sources()
        for key in re.findall(r"config\[\s*[\"']([A-Z][A-Z0-9_]*)[\"']", path.read_text("utf-8"))
    }
    assert read, "the scan found nothing: the pattern is broken"
    assert sorted(read - set(SETTINGS) - derived) == []


def test_readme_settings_table_matches_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings:start -->\n(.*?)<!-- settings:end -->", readme, re.S)
    assert found, "README.md lacks the settings table markers"
    assert found.group(1) == settings_table(), (
        "README settings table is stale: paste `uv run flask --app server settings` into it"
    )


def test_readme_table_lists_every_setting_with_its_overrides():
    table = settings_table()
    for name in SETTINGS:
        assert f"| `{name}` |" in table
    assert "| `SWAGGER_ENABLED` | bool | `true` (production: `false`) |" in table


def test_settings_command_prints_the_readme_table(app):
    result = app.test_cli_runner().invoke(args=["settings"])
    assert result.exit_code == 0
    assert result.output == settings_table()


# ------------------------------------------------------------ production refusals


@pytest.mark.parametrize("secret", ["", "dev-secret-change-me", "short"])
def test_production_refuses_default_or_weak_secret(secret):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": secret}, env_mode="production")


def test_production_refuses_debug():
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app({"SECRET_KEY": "x" * 40, "DEBUG": True}, env_mode="production")


def _start_server(tmp_path, **env) -> list[str]:
    env = {
        "ENV_MODE": "production",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        **env,
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
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_server_exits_with_one_clear_line_in_production_without_secret(tmp_path):
    assert _start_server(tmp_path, SECRET_KEY="") == [
        "mini-shop-server refuses to start: production needs a real SECRET_KEY: set the "
        "SECRET_KEY environment variable to a random value of at least 32 characters"
    ]


def test_server_exits_with_one_clear_line_on_a_bad_setting(tmp_path):
    assert _start_server(tmp_path, SECRET_KEY="s" * 40, ORDER_MAX_LINES="twenty") == [
        "mini-shop-server refuses to start: environment: ORDER_MAX_LINES must be a whole "
        "number >= 0, not 'twenty'"
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
