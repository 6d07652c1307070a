"""The application factory: it loads config and wires the pieces, nothing else."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import check_production, load_config
from app.extensions import cache, cors, db, limiter, migrate, swagger


def create_app(config: dict | None = None, env_mode: str | None = None) -> Flask:
    settings = load_config(env_mode, config)
    check_production(settings)
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings)
    _configure_logging(app)
    _configure_json(app)
    _configure_sessions(app)
    _init_extensions(app)
    _configure_url_map(app)
    _register_blueprints(app)
    _register_errors_and_hooks(app)
    _register_metrics(app)
    _register_service_hooks(app)
    _register_commands(app)
    _register_docs(app)
    _check_access_declarations(app)
    return app


def _configure_logging(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if app.config["LOG_FORMAT"] == "json":
        from app.core.logs import use_json_lines

        use_json_lines(logging.getLogger())


def _configure_sessions(app: Flask) -> None:
    from app.core.http import NoSessions

    app.session_interface = NoSessions()


def _configure_json(app: Flask) -> None:
    from app.core.json import ExactJSONProvider

    app.json_provider_class = ExactJSONProvider
    app.json = ExactJSONProvider(app)


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
    cache.init_app(app)
    limiter.init_app(app)
    origins = list(app.config["CORS_ORIGINS"])
    # With no origin allowed (production's default) Flask-Cors would add nothing to any answer
    # but still run on every one: it is installed only when some origin is allowed.
    if origins:
        _init_cors(app, origins)
    # Only as many X-Forwarded-* entries as there are proxies of our own are believed; with 0
    # (the default) a client cannot pick the address every per-IP limit is keyed by.
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from app.core import db as _sqlite_pragmas  # noqa: F401


def _init_cors(app: Flask, origins: list[str]) -> None:
    cors.init_app(
        app,
        resources={r"/(v1|v2|cms)/.*": {"origins": origins}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        expose_headers=["X-Request-ID", "Retry-After", "ETag"],
        supports_credentials=False,
        max_age=600,
    )


def _configure_url_map(app: Flask) -> None:
    from app.core.http import IdConverter

    app.url_map.converters["int"] = IdConverter


def _register_blueprints(app: Flask) -> None:
    from app.api import metrics, misc, uploads, v1, v2

    app.register_blueprint(misc.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(v1.api)
    v2.mount(app)


def _register_errors_and_hooks(app: Flask) -> None:
    from app.core.errors import init_errors
    from app.core.http import init_http
    from app.services.error_log import write_error_log

    init_errors(app, write_error_log=write_error_log)
    init_http(app)


def _register_metrics(app: Flask) -> None:
    from app.core.metrics import init_metrics

    init_metrics(app, db.session)


def _register_service_hooks(app: Flask) -> None:
    """Hand lower layers the verbs they need from above: core imports no model, and the order
    workflows do not import the payment service that records payments through them."""
    from app.core.auth import init_auth
    from app.core.pagination import init_pagination
    from app.services import access, account, config_params, orders, payment

    init_auth(app, load_user=account.token_user, load_grants=access.group_grants)
    init_pagination(app, default_page_size=config_params.default_page_size)
    orders.init_gateway(
        app,
        settle_before_cancel=payment.settle_before_cancel,
        settle_processing_refunds=payment.query_processing_refunds,
    )


def _register_commands(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)


def _register_docs(app: Flask) -> None:
    if not app.config["SWAGGER_ENABLED"]:
        return
    from app.core.docs import SWAGGER_CONFIG, SWAGGER_TEMPLATE

    app.config["SWAGGER"] = {"uiversion": 3, "openapi": None}
    swagger.template = SWAGGER_TEMPLATE
    swagger.config = SWAGGER_CONFIG
    swagger.init_app(app)


def _check_access_declarations(app: Flask) -> None:
    from app.core.permissions import check_declarations

    check_declarations(app)
