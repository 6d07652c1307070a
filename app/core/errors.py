"""Every error becomes the one error envelope {error_code, msg, request_url} here only.

A server-side failure is also written to the error log by the writer create_app registers with
`init_errors` (the table is a model, which core does not import).
"""

import logging
import time
import traceback
from collections.abc import Callable

from flask import Flask, current_app, g, jsonify, request
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.core.exceptions import (
    APIException,
    Conflict,
    Duplicated,
    HTTPError,
    ServerError,
    ServiceUnavailable,
    TooManyRequests,
    ValueOutOfRange,
    body_too_large,
)
from app.core.redact import redacted_params
from app.extensions import db, limiter

logger = logging.getLogger("mini_shop.errors")

# MySQL error numbers: lost connection / cannot connect / server gone, and deadlock / lock wait.
_UNREACHABLE = {2002, 2003, 2006, 2013, 2055, 1040, 1053}
_LOCK_ERRORS = {1205, 1213}
_CHECK_CONSTRAINT = 4025


def request_url() -> str:
    return f"{request.method} {request.path}"


def render(error: APIException):
    response = jsonify(error.body(request_url()))
    response.status_code = error.code
    for key, value in error.extra_headers.items():
        response.headers[key] = value
    return response


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        logger.debug("rollback failed", exc_info=True)


def _mysql_errno(error: DBAPIError) -> int | None:
    args = getattr(error.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def handle_http_exception(error: HTTPException):
    # APIException is an HTTPException too; Flask files handlers by status code, so one
    # handler serves both.
    if isinstance(error, APIException):
        return render(error)
    if error.code == 413:
        _drop_body()
        return render(body_too_large())
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return render(HTTPError(error.name, code=error.code or 400, headers=headers))


def _drop_body() -> None:
    """Let later readers of a refused body (the logs) see it empty instead of raising 413
    again, from a place where the error would be caught and logged with its traceback."""
    refused = request._get_current_object()
    refused.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    refused._cached_data = b""
    refused._cached_json = (None, None)


def handle_rate_limit(error: RateLimitExceeded):
    return render(TooManyRequests(headers={"Retry-After": str(_retry_after(error))}))


def _retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the breached window resets (at least 1)."""
    try:
        breached = limiter.current_limit
        if breached is not None:
            return max(1, int(breached.reset_at - time.time()))
        return max(1, int(error.limit.limit.get_expiry()))
    except Exception:  # the storage may be unreachable; a window length is a fair hint
        logger.debug("could not read the rate-limit window", exc_info=True)
        return 60


def handle_integrity_error(error: IntegrityError):
    _rollback()
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return render(Duplicated())
    return render(Conflict())


def handle_database_error(error: DBAPIError):
    _rollback()
    if isinstance(error, DataError):  # "Out of range value", "Data too long": input, not a bug
        logger.warning("value refused by the database on %s: %s", request_url(), error.orig)
        return render(ValueOutOfRange())
    errno = _mysql_errno(error)
    if (
        errno in _LOCK_ERRORS
        or errno == _CHECK_CONSTRAINT
        or "database is locked" in str(error.orig)
    ):
        return render(Conflict())
    if isinstance(error, OperationalError) or error.connection_invalidated:
        logger.warning("database unavailable: %s", error.orig)
        return render(ServiceUnavailable())
    return handle_unexpected(error)


def handle_unexpected(error: Exception):
    _rollback()
    logger.error("unexpected error on %s", request_url(), exc_info=error)
    record_error(error, traceback.format_exc())
    return render(ServerError())


def record_error(error: Exception, trace: str, exception_name: str | None = None) -> None:
    """Write an error_log row for a server-side failure; never raise.

    A client's mistake (any 4xx) is never a row: anyone could otherwise fill the table with
    refused requests. Those appear in the access log, and the notify routes log a warning line.
    """
    if isinstance(error, HTTPException) and (error.code or 500) < 500:
        return
    write = current_app.extensions.get("error_log_writer")
    if write is None:
        return
    user = g.get("flask_httpauth_user")
    try:
        write(
            request_id=g.get("request_id", ""),
            user_id=getattr(user, "id", None),
            method=request.method,
            path=request.path,
            endpoint=request.endpoint or "",
            exception=exception_name or type(error).__name__,
            message=str(error)[:2000],
            traceback=trace[:10000],
            request_param=redacted_params(),
        )
    except Exception:
        _rollback()
        logger.warning("could not write the error log", exc_info=True)


def init_errors(app: Flask, write_error_log: Callable[..., None] | None = None) -> None:
    """Register the handlers; `write_error_log(**fields)` stores one error_log row."""
    app.extensions["error_log_writer"] = write_error_log
    app.register_error_handler(RateLimitExceeded, handle_rate_limit)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
