"""Every setting, declared once with its type, default and meaning; then config.ini and the
environment override it.

How a value is found, the last one winning:

1. the default declared in SETTINGS below;
2. config.ini: `[DEFAULT]` (every environment), then the section named by ENV_MODE
   (`development`, `testing`, `production`);
3. an environment variable of the same name, parsed by the declared type (text stays text:
   a secret "0123" is not turned into 123);
4. the `config` dict given to `create_app()` (tests): a text value is parsed like an
   environment variable, any other value must already have the declared type.

A key that is not declared (in config.ini or in `create_app(config=...)`), a value that does not
parse, or a secret written into config.ini where production would read it, stops the start with
a ConfigError of one line naming the key. `_derive` then adds the keys Flask and SQLAlchemy
read (SQLALCHEMY_DATABASE_URI, SQLALCHEMY_BINDS, ...); they are not settings.

Adding a setting is one line in SETTINGS, e.g.

    Setting("LOG_RETENTION_DAYS", INT, 90, "admin log rows older than this are purged"),

then read it as `current_app.config["LOG_RETENTION_DAYS"]` (never `.get(key, default)`: the
default lives here only), and paste `uv run flask --app server settings` into the README
(tests/core/test_config.py fails until the README table matches). Types: STR, SECRET (text
that must come from the environment in production), INT (whole number >= 0), FLOAT, BOOL,
LIST (comma-separated, a tuple of str), RATE (a rate limit such as "10/minute"), ZONE (an IANA
time zone) and choice("a", "b").
"""

import configparser
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config.ini"
ENVIRONMENTS = ("development", "testing", "production")

# Secret values that ship with the code; production must never run with one of them.
DEFAULT_SECRETS = {"", "dev-secret-change-me", "testing-secret-not-for-production"}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why in one line."""


# ------------------------------------------------------------------ types


@dataclass(frozen=True)
class Kind:
    """How one type of setting is written (README), parsed from text and checked as a value."""

    name: str
    parse: Callable[[str], object]  # text -> value; ValueError when it is not one
    expected: str  # "must be ..." in the error message
    accepts: tuple[type, ...]  # Python types a create_app() override may give as they are
    secret: bool = False


def _parse_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise ValueError(text)
    return value


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError(text)


def _parse_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _parse_rate(text: str) -> str:
    parse_many(text)  # ValueError when flask-limiter could not read it
    return text


def _parse_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(text) from None
    return text


STR = Kind("text", str, "text", (str,))
SECRET = Kind("secret", str, "text", (str,), secret=True)
INT = Kind("int", _parse_int, "a whole number >= 0", (int,))
FLOAT = Kind("float", _parse_float, "a number >= 0", (int, float))
BOOL = Kind("bool", _parse_bool, "true or false", (bool,))
LIST = Kind("list", _parse_list, "a comma-separated list", (tuple, list))
RATE = Kind("rate", _parse_rate, 'a rate limit such as "10/minute"', (str,))
ZONE = Kind("zone", _parse_zone, "an IANA time zone such as Asia/Shanghai", (str,))


def choice(*values: str) -> Kind:
    """One of `values`, matched case-insensitively and kept as declared."""
    by_lower = {value.lower(): value for value in values}

    def parse(text: str) -> str:
        if text.lower() not in by_lower:
            raise ValueError(text)
        return by_lower[text.lower()]

    return Kind(" / ".join(values), parse, "one of " + ", ".join(values), (str,))


@dataclass(frozen=True)
class Setting:
    """One setting: its name (the config key and environment variable), type, default, meaning."""

    name: str
    kind: Kind
    default: object
    help: str

    def parse(self, text: str, where: str):
        try:
            return self.kind.parse(text.strip())
        except ValueError:
            raise ConfigError(self._error(where, text)) from None

    def _error(self, where: str, value) -> str:
        shown = "" if self.kind.secret else f", not {_short(value)}"
        return f"{where}: {self.name} must be {self.kind.expected}{shown}"

    def check(self, value, where: str):
        """A value given as it is (a create_app() override): text is parsed, else type-checked."""
        if isinstance(value, str):
            return self.parse(value, where)
        if isinstance(value, bool) != (self.kind is BOOL) or not isinstance(
            value, self.kind.accepts
        ):
            raise ConfigError(self._error(where, value))
        if self.kind is LIST:
            return tuple(str(item).strip() for item in value)
        return self.parse(str(value), where) if self.kind in (INT, FLOAT) else value


def _short(value) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# ------------------------------------------------------------------ the settings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# File types the file manager accepts unless FILE_ALLOWED_EXTENSIONS says otherwise.
_FILE_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp"),
    *("doc", "docx", "xls", "xlsx", "ppt", "pptx", "pdf", "md", "txt"),
    *("mp3", "mp4", "wmv", "zip"),
)

_DECLARED = (
    # app
    Setting(
        "ENV_MODE",
        choice(*ENVIRONMENTS),
        "development",
        "picks the config.ini section; read from the environment only",
    ),
    Setting(
        "SECRET_KEY",
        SECRET,
        "dev-secret-change-me",
        "signs tokens; production needs 32+ characters, not a shipped one",
    ),
    Setting("DEBUG", BOOL, False, "Flask debug mode (FLASK_DEBUG is ignored); off in production"),
    Setting("TESTING", BOOL, False, "Flask testing mode; records SQL statements for the tests"),
    Setting("LOG_LEVEL", choice(*LOG_LEVELS), "INFO", "level of the app's own log lines"),
    Setting(
        "LOG_FORMAT",
        choice("text", "json"),
        "text",
        "app log lines as text, or one JSON object a line with the request id",
    ),
    Setting("TIMEZONE", ZONE, "Asia/Shanghai", "zone of admin times, order numbers, WeChat Pay"),
    Setting("APP_VERSION", STR, "1.0.0", "version the server monitor (/v2/server) reports"),
    # database
    Setting("DATABASE_URL", STR, "", "SQLAlchemy URL (utf8mb4 added); empty: SQLite in instance/"),
    Setting("DATABASE_REPLICA_URL", STR, "", "read replica for catalog reads; empty: none"),
    Setting(
        "DATABASE_REPLICA_FRESH_SECONDS",
        INT,
        10,
        "after a catalog write, catalog reads use the primary this long, seconds",
    ),
    Setting("SQLALCHEMY_ECHO", BOOL, False, "log every SQL statement"),
    Setting("MIGRATIONS_DIR", STR, "migrations", "folder of the Alembic revisions (`flask db`)"),
    # tokens and request bodies
    Setting(
        "PASSWORD_HASH_METHOD",
        STR,
        "scrypt",
        "werkzeug hash method of new passwords (scrypt: about 0.1 s a hash, by design)",
    ),
    Setting("TOKEN_EXPIRES_IN", INT, 7200, "access token lifetime, seconds"),
    Setting("REFRESH_TOKEN_EXPIRES_IN", INT, 2592000, "refresh token lifetime, seconds"),
    Setting("MAX_CONTENT_LENGTH", INT, 104857600, "largest request body, bytes (0: no limit)"),
    Setting("JSON_MAX_LENGTH", INT, 1048576, "largest JSON request body, bytes"),
    Setting("JSON_MAX_DEPTH", INT, 32, "deepest nesting of a JSON body; deeper answers 400"),
    Setting(
        "ANONYMOUS_MAX_CONTENT_LENGTH",
        INT,
        65536,
        "largest body of a request without a valid token, bytes; larger answers 413",
    ),
    Setting(
        "TRUSTED_PROXIES",
        INT,
        0,
        "proxy hops whose X-Forwarded-* headers are believed (0: none; behind deploy/ nginx: 1)",
    ),
    # logs
    Setting("LOG_PARAM_MAX_BYTES", INT, 4096, "bytes of redacted request data a log row keeps"),
    Setting("ERROR_LOG_KEEP_DAYS", INT, 30, "error_log rows older than this are purged (0: keep)"),
    Setting("OPER_LOG_KEEP_DAYS", INT, 180, "oper_log rows older than this are purged (0: keep)"),
    Setting("LOGIN_LOG_KEEP_DAYS", INT, 90, "login_log rows older than this are purged (0: keep)"),
    # files and uploads
    Setting(
        "PUBLIC_BASE_URL",
        STR,
        "",
        "public origin stored URLs are built from, never the Host header; required in production"
        " (empty elsewhere: http://127.0.0.1:5000)",
    ),
    Setting(
        "IMAGE_BASE_URL", STR, "", "static images base URL; empty: PUBLIC_BASE_URL/static/images"
    ),
    Setting("FILE_BASE_URL", STR, "", "base URL of uploaded files; empty: PUBLIC_BASE_URL/uploads"),
    Setting("UPLOAD_FOLDER", STR, "", "local uploads, outside the code; empty: instance/uploads"),
    Setting("STORAGE_BACKEND", choice("local", "s3"), "local", "uploads on disk or in S3"),
    Setting("S3_BUCKET", STR, "", "bucket of the s3 storage backend"),
    Setting("S3_ENDPOINT_URL", STR, "", "endpoint of an S3-compatible service; empty: AWS"),
    Setting("S3_REGION", STR, "", "region of the bucket; empty: boto3's default"),
    Setting("S3_ACCESS_KEY_ID", SECRET, "", "empty: boto3's credential chain (AWS_*, roles)"),
    Setting("S3_SECRET_ACCESS_KEY", SECRET, "", "empty: boto3's credential chain"),
    Setting("S3_PUBLIC_BASE_URL", STR, "", "public URL of the bucket or CDN; empty: signed URLs"),
    Setting(
        "FILE_ALLOWED_EXTENSIONS",
        LIST,
        _FILE_EXTENSIONS,
        "file extensions the file manager accepts",
    ),
    Setting("FILE_MAX_SIZE", INT, 20971520, "largest file of a file-manager upload, bytes"),
    Setting("FILE_MAX_COUNT", INT, 10, "files in one file-manager upload"),
    Setting("FILE_MAX_TOTAL", INT, 104857600, "bytes in one file-manager upload"),
    Setting("IMAGE_MAX_SIZE", INT, 5242880, "largest image upload, bytes"),
    Setting("IMAGE_MAX_SIDE", INT, 4096, "widest or tallest image an upload may decode, pixels"),
    Setting("IMAGE_MAX_PIXELS", INT, 16000000, "most pixels an uploaded image may decode"),
    Setting("AVATAR_MAX_SIDE", INT, 512, "avatars are stored re-encoded at most this size a side"),
    Setting("AVATAR_MAX_SIZE", INT, 2097152, "largest avatar upload, bytes"),
    Setting(
        "REVIEW_IMAGE_MAX_SIDE", INT, 1600, "review images are stored re-encoded at most this size"
    ),
    # customers and orders
    Setting("ADDRESS_MAX", INT, 20, "addresses per user"),
    Setting("CART_MAX_LINES", INT, 100, "lines (SKUs) in one cart"),
    Setting("ORDER_MAX_LINES", INT, 20, "products in one order"),
    Setting("ORDER_MAX_COUNT", INT, 99, "units of one product in one order"),
    Setting("ORDER_MAX_TOTAL_COUNT", INT, 999, "units in one order"),
    Setting(
        "ORDER_EXPIRE_SECONDS", INT, 1800, "an unpaid order is cancelled after this long, seconds"
    ),
    Setting(
        "ORDER_AUTO_RECEIVE_DAYS",
        INT,
        15,
        "a delivered order counts as received after this many days",
    ),
    # WeChat mini-program login (either key empty: WeChat login answers 503)
    Setting("WX_APP_ID", STR, "", "mini-program AppID"),
    Setting("WX_APP_SECRET", SECRET, "", "mini-program AppSecret"),
    Setting("WECHAT_API_BASE", STR, "https://api.weixin.qq.com", "WeChat API base URL"),
    Setting("WX_TIMEOUT", FLOAT, 5.0, "timeout of a WeChat API call, seconds"),
    # WeChat platform: shared access token, outbox, content check (README: WeChat platform)
    Setting(
        "OUTBOX_MAX_ATTEMPTS",
        INT,
        8,
        "tries after which an outbox row that WeChat answers with an error is dead",
    ),
    Setting(
        "OUTBOX_BACKOFF_SECONDS",
        INT,
        60,
        "wait after an outbox row's first failed try, seconds; doubled after each further one",
    ),
    Setting(
        "OUTBOX_BACKOFF_MAX_SECONDS", INT, 3600, "longest wait between two tries of a row, seconds"
    ),
    Setting(
        "OUTBOX_LEASE_SECONDS",
        INT,
        120,
        "a row claimed by an outbox runner that stopped is claimable again after this, seconds"
        " (keep it above 4 x WX_TIMEOUT)",
    ),
    Setting("OUTBOX_BATCH_SIZE", INT, 200, "rows one `outbox run` sends at most"),
    Setting(
        "WECHAT_DELIVERY_LIST_TTL",
        INT,
        86400,
        "WeChat's delivery company list is fetched again after this, seconds",
    ),
    Setting(
        "CONTENT_CHECK_NICKNAME_FAIL_OPEN",
        BOOL,
        True,
        "accept a nickname while WeChat's content check cannot be reached",
    ),
    Setting(
        "CONTENT_CHECK_REVIEW_FAIL_OPEN",
        BOOL,
        False,
        "accept a review while WeChat's content check cannot be reached",
    ),
    # WeChat Pay v3 (WX_APP_ID or one of the first seven empty: payment answers 503)
    Setting("WECHATPAY_MCHID", STR, "", "merchant id (mchid)"),
    Setting("WECHATPAY_PRIVATE_KEY", SECRET, "", "merchant API private key, PEM text"),
    Setting("WECHATPAY_CERT_SERIAL_NO", STR, "", "serial number of the merchant certificate"),
    Setting("WECHATPAY_APIV3_KEY", SECRET, "", "APIv3 key of the merchant platform"),
    Setting("WECHATPAY_PUBLIC_KEY", STR, "", "WeChat Pay platform public key, PEM text"),
    Setting("WECHATPAY_PUBLIC_KEY_ID", STR, "", "id of that public key (PUB_KEY_ID_...)"),
    Setting("WECHATPAY_NOTIFY_URL", STR, "", "payment notification URL (public https)"),
    Setting("WECHATPAY_REFUND_NOTIFY_URL", STR, "", "refund notification URL (public https)"),
    Setting("WECHATPAY_API_BASE", STR, "https://api.mch.weixin.qq.com", "WeChat Pay API base URL"),
    Setting("WECHATPAY_TIMEOUT", FLOAT, 10.0, "timeout of a WeChat Pay API call, seconds"),
    # HTTP
    Setting("CORS_ORIGINS", LIST, ("*",), "origins allowed by CORS and to frame /apidocs/"),
    # rate limits
    Setting("RATELIMIT_ENABLED", BOOL, True, "throttle the routes below"),
    Setting(
        "RATELIMIT_STORAGE_URI",
        STR,
        "memory://",
        "rate-limit counters; `redis://...` to share them between processes",
    ),
    Setting("RATELIMIT_KEY_PREFIX", STR, "", "prefix of the counter keys (apps sharing a Redis)"),
    Setting("RATELIMIT_SWALLOW_ERRORS", BOOL, True, "let requests through when counters fail"),
    Setting("RATELIMIT_LOGIN", RATE, "10/minute", "logins per client IP"),
    Setting(
        "RATELIMIT_LOGIN_FAILED_ACCOUNT_IP",
        RATE,
        "5/minute;20/hour",
        "failed logins and wrong old passwords per account and IP (longer windows: back-off)",
    ),
    Setting(
        "RATELIMIT_LOGIN_FAILED_ACCOUNT",
        RATE,
        "50/hour;200/day",
        "failed logins per account from all addresses (the higher ceiling)",
    ),
    Setting(
        "RATELIMIT_IDENTIFIER",
        RATE,
        "10/minute;60/hour",
        "profile and login-method changes per user (they tell whether an identifier is taken)",
    ),
    Setting("RATELIMIT_IDENTIFIER_IP", RATE, "30/minute;300/hour", "the same, per client IP"),
    Setting(
        "RATELIMIT_NOTIFY_FAILED",
        RATE,
        "20/minute",
        "pay/refund notifications failing verification per IP (verified ones always pass)",
    ),
    Setting("RATELIMIT_REGISTER", RATE, "5/minute", "registrations per client IP"),
    Setting("RATELIMIT_REFRESH", RATE, "30/minute", "token refreshes per client IP"),
    Setting("RATELIMIT_ORDER", RATE, "10/minute", "orders placed per user"),
    Setting("RATELIMIT_PREPAY", RATE, "20/minute", "WeChat Pay prepay calls per user"),
    Setting("RATELIMIT_UPLOAD", RATE, "30/minute", "uploads per user"),
    Setting("RATELIMIT_REDEEM", RATE, "10/minute;30/hour", "coupon code redeems per user"),
    # cache
    Setting(
        "CACHE_TYPE",
        STR,
        "SimpleCache",
        "Flask-Caching backend; `RedisCache` to share the catalog cache between workers",
    ),
    Setting("CACHE_DEFAULT_TIMEOUT", INT, 300, "lifetime of a cache entry, seconds"),
    Setting("CACHE_THRESHOLD", INT, 20000, "SimpleCache entries per worker (catalog pages)"),
    Setting("CACHE_REDIS_URL", STR, "", "Redis of RedisCache, apart from the counters"),
    Setting("CATALOG_MAX_AGE", INT, 60, "Cache-Control max-age of catalog reads, seconds"),
    Setting(
        "SKU_LOW_STOCK_THRESHOLD", INT, 10, "GET /v2/product/low_stock lists SKUs at or below it"
    ),
    # search
    Setting(
        "SEARCH_BACKEND",
        choice("database"),
        "database",
        "product search backend (README, Search: when another is worth it)",
    ),
    # metrics (GET /metrics, README: Metrics)
    Setting(
        "METRICS_ALLOW",
        LIST,
        ("127.0.0.1/32", "::1/128"),
        "client addresses (CIDR) that may read GET /metrics; others get 404",
    ),
    # product import (POST /v2/product/import)
    Setting("IMPORT_MAX_ROWS", INT, 2000, "data rows one product import file may hold"),
    Setting("IMPORT_MAX_BYTES", INT, 5242880, "largest product import file, bytes"),
    # docs pages
    Setting("SWAGGER_ENABLED", BOOL, True, "serve Swagger UI at /apidocs/ and the spec"),
    Setting("ERROR_CODE_PAGE_ENABLED", BOOL, True, "serve the error code table at /error_code"),
)
SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _DECLARED}


# ------------------------------------------------------------------ loading

# config.ini sections a production start reads; a secret must not be written in them.
_PRODUCTION_SECTIONS = ("DEFAULT", "production")


def load_config(env_mode: str | None = None, overrides: dict | None = None) -> dict:
    """Return the settings of one environment as a dict of upper-case keys."""
    env_mode = env_mode or os.environ.get("ENV_MODE", "development")
    if env_mode not in ENVIRONMENTS:
        raise ConfigError(f"ENV_MODE must be one of {', '.join(ENVIRONMENTS)}, not {env_mode!r}")
    sections = read_ini(CONFIG_FILE)
    settings = {name: setting.default for name, setting in SETTINGS.items()}
    settings.update(sections["DEFAULT"])
    settings.update(sections[env_mode])
    for name, setting in SETTINGS.items():
        if name in os.environ and name != "ENV_MODE":
            settings[name] = setting.parse(os.environ[name], "environment")
    for name, value in (overrides or {}).items():
        if name not in SETTINGS or name == "ENV_MODE":
            raise ConfigError(f"create_app(config=...): {name} is not a setting")
        settings[name] = SETTINGS[name].check(value, "create_app(config=...)")
    settings["ENV_MODE"] = env_mode
    _derive(settings)
    return settings


def read_ini(path: Path) -> dict[str, dict]:
    """The parsed overrides of every section of config.ini; any unusable line is a ConfigError."""
    parser = configparser.ConfigParser(interpolation=None, default_section="\0none")
    parser.optionxform = str  # keep keys upper-case as written
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as error:
        raise ConfigError(f"{path.name}: {' '.join(str(error).split())}") from None
    sections = {name: {} for name in ("DEFAULT", *ENVIRONMENTS)}
    for section in parser.sections():
        if section not in sections:
            known = ", ".join(sections)
            raise ConfigError(f"{path.name}: unknown section [{section}] (known: {known})")
        where = f"{path.name} [{section}]"
        for name, text in parser.items(section):
            setting = SETTINGS.get(name)
            if setting is None:
                raise ConfigError(f"{where}: unknown setting {name} (declare it in app/config.py)")
            if name == "ENV_MODE":
                raise ConfigError(f"{where}: ENV_MODE is read from the environment only")
            if setting.kind.secret and text.strip() and section in _PRODUCTION_SECTIONS:
                raise ConfigError(f"{where}: {name} is a secret; set it in the environment")
            sections[section][name] = setting.parse(text, where)
    return sections


def _with_charset(url: str) -> str:
    if url.startswith("mysql") and "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    return url


def _derive(settings: dict) -> None:
    """Fill in values computed from the settings: the keys Flask and its extensions read."""
    database_url = settings["DATABASE_URL"]
    if not database_url:
        instance = ROOT / "instance"
        instance.mkdir(exist_ok=True)
        name = "mini_shop_test.db" if settings["ENV_MODE"] == "testing" else "mini_shop.db"
        database_url = f"sqlite:///{instance / name}"
    settings["SQLALCHEMY_DATABASE_URI"] = _with_charset(database_url)
    replica_url = _with_charset(settings["DATABASE_REPLICA_URL"])
    settings["SQLALCHEMY_BINDS"] = {"replica": replica_url} if replica_url else {}
    settings["SQLALCHEMY_RECORD_QUERIES"] = settings["TESTING"]
    # No ping per checkout (a round trip per request): connections are recycled before the
    # server's wait_timeout (8 h by default) can drop them, and a connection that died anyway
    # (a restart, a network cut) fails its request with 503, which invalidates the pool, so
    # the next request connects afresh (tests/test_failure_modes.py).
    engine_options = {}
    if database_url.startswith("mysql"):
        engine_options["pool_recycle"] = 3600
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    if not settings["UPLOAD_FOLDER"]:
        settings["UPLOAD_FOLDER"] = str(ROOT / "instance" / "uploads")
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_CONTENT_LENGTH"] or None  # Flask: no limit


# ------------------------------------------------------------------ the README table


def _shown(setting: Setting, value) -> str:
    if value in ("", ()):
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return "`" + ",".join(value) + "`"
    return f"`{value}`"


def settings_table() -> str:
    """The README's settings table (markdown): every setting with its config.ini overrides."""
    sections = read_ini(CONFIG_FILE)
    rows = ["| Setting | Type | Default | Meaning |", "|---|---|---|---|"]
    for name, setting in SETTINGS.items():
        default = _shown(setting, setting.default)
        overrides = [
            f"{section}: {_shown(setting, values[name])}"
            for section, values in sections.items()
            if name in values
        ]
        if overrides:
            default += " (" + "; ".join(overrides) + ")"
        meaning = setting.help.replace("|", "\\|")
        rows.append(f"| `{name}` | {setting.kind.name} | {default} | {meaning} |")
    return "\n".join(rows) + "\n"


# ------------------------------------------------------------------ production refusals


def check_production(settings: dict) -> None:
    """Refuse to run production with a secret that ships with the code, or with debug on."""
    if settings["ENV_MODE"] != "production":
        return
    if settings["SECRET_KEY"] in DEFAULT_SECRETS or len(settings["SECRET_KEY"]) < 32:
        raise ConfigError(
            "production needs a real SECRET_KEY: set the SECRET_KEY environment variable "
            "to a random value of at least 32 characters"
        )
    if settings.get("DEBUG"):
        raise ConfigError("production must not run with DEBUG on: unset DEBUG")
    base = urlsplit(settings["PUBLIC_BASE_URL"])
    if base.scheme not in ("https", "http") or not base.hostname:
        raise ConfigError(
            "production needs PUBLIC_BASE_URL: set it to the site's public origin, "
            "e.g. https://shop.example.com (stored image URLs are built from it)"
        )
