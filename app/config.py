"""Read settings from config.ini and let environment variables override any key."""

import configparser
import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config.ini"
ENVIRONMENTS = ("development", "testing", "production")

# Secret values that ship with the code; production must never run with one of them.
DEFAULT_SECRETS = {"", "dev-secret-change-me", "testing-secret-not-for-production"}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why in one line."""


def _coerce(value: str):
    text = value.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def load_config(env_mode: str | None = None, overrides: dict | None = None) -> dict:
    """Return the settings of one environment as a dict of upper-case keys."""
    env_mode = env_mode or os.environ.get("ENV_MODE", "development")
    if env_mode not in ENVIRONMENTS:
        raise ConfigError(f"ENV_MODE must be one of {', '.join(ENVIRONMENTS)}, not {env_mode!r}")
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep keys upper-case as written
    parser.read(CONFIG_FILE, encoding="utf-8")
    section = parser[env_mode] if parser.has_section(env_mode) else parser.defaults()
    settings = {key: _coerce(value) for key, value in section.items()}
    for key in list(settings):
        if key in os.environ:
            settings[key] = _coerce(os.environ[key])
    settings.update(overrides or {})
    settings["ENV_MODE"] = env_mode
    _derive(settings)
    return settings


def _with_charset(url: str) -> str:
    if url.startswith("mysql") and "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    return url


def _derive(settings: dict) -> None:
    """Fill in values computed from other keys."""
    database_url = settings.get("DATABASE_URL") or ""
    if not database_url:
        instance = ROOT / "instance"
        instance.mkdir(exist_ok=True)
        name = "mini_shop_test.db" if settings["ENV_MODE"] == "testing" else "mini_shop.db"
        database_url = f"sqlite:///{instance / name}"
    settings["SQLALCHEMY_DATABASE_URI"] = _with_charset(database_url)
    replica_url = _with_charset(settings.get("DATABASE_REPLICA_URL") or "")
    settings["SQLALCHEMY_BINDS"] = {"replica": replica_url} if replica_url else {}
    settings["SQLALCHEMY_RECORD_QUERIES"] = settings.get("TESTING", False)
    engine_options = {"pool_pre_ping": True}
    if database_url.startswith("mysql"):
        engine_options["pool_recycle"] = 3600
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options)
    if not settings.get("UPLOAD_FOLDER"):
        settings["UPLOAD_FOLDER"] = str(ROOT / "instance" / "uploads")
    settings["MAX_CONTENT_LENGTH"] = int(settings.get("MAX_CONTENT_LENGTH") or 0) or None


def check_production(settings: dict) -> None:
    """Refuse to run production with a secret that ships with the code, or with debug on."""
    if settings["ENV_MODE"] != "production":
        return
    if (
        str(settings.get("SECRET_KEY", "")) in DEFAULT_SECRETS
        or len(str(settings["SECRET_KEY"])) < 32
    ):
        raise ConfigError(
            "production needs a real SECRET_KEY: set the SECRET_KEY environment variable "
            "to a random value of at least 32 characters"
        )
    if settings.get("DEBUG"):
        raise ConfigError("production must not run with DEBUG on: unset DEBUG")
    base = urlsplit(str(settings.get("PUBLIC_BASE_URL") or ""))
    if base.scheme not in ("https", "http") or not base.hostname:
        raise ConfigError(
            "production needs PUBLIC_BASE_URL: set it to the site's public origin, "
            "e.g. https://shop.example.com (stored image URLs are built from it)"
        )
