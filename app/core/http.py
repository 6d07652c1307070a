"""Per-request plumbing: request ids, client IP, security headers."""

import re
import secrets

from flask import Flask, current_app, g, request
from flask.sessions import SessionInterface
from werkzeug.routing import IntegerConverter

from app.core.auth import decode_access_token, token_auth, user_for_payload
from app.core.exceptions import APIException, HTTPError

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
FRAMEABLE_PATHS = ("/apidocs", "/flasgger_static", "/error_code", "/apispec_1.json")


class NoSessions(SessionInterface):
    """Clients authenticate with tokens; no request reads or writes a cookie session."""

    def open_session(self, app, request):
        return self.make_null_session(app)

    def save_session(self, app, session, response):
        return None


class IdConverter(IntegerConverter):
    """`<int:id>` path segments. An id beyond the INTEGER columns names no row, so it becomes -1
    and the view answers its own not-found error (refusing it here would make Werkzeug answer
    405 when the path exists for another method)."""

    MAX_ID = 2**31 - 1

    def to_python(self, value: str) -> int:
        if len(value) > 10 or int(value) > self.MAX_ID:
            return -1
        return int(value)


def client_ip() -> str:
    # With TRUSTED_PROXIES > 0, ProxyFix has already replaced remote_addr with the address the
    # nearest trusted proxy saw; with 0 (the default) X-Forwarded-For is ignored.
    return request.remote_addr or ""


def request_id() -> str:
    return g.get("request_id", "")


# Per-request values kept on `g`. An app context can outlive one request (tests, CLI code that
# makes requests), so they are cleared when a request starts.
_REQUEST_SCOPED = (
    "flask_httpauth_user",
    "granted_permissions",
    "auth_error",
    "token_payload",
    "user_checked_later",
)


def _start_request() -> None:
    # Every request pays for this hook: `g` and the raw environ are read once each (a header
    # looked up through request.headers, or each g.pop through the proxy, costs more).
    scoped = g._get_current_object().__dict__
    for key in _REQUEST_SCOPED:
        scoped.pop(key, None)
    sent = request.environ.get("HTTP_X_REQUEST_ID", "")
    scoped["request_id"] = sent if _REQUEST_ID.fullmatch(sent) else secrets.token_hex(16)


def _has_valid_token() -> bool:
    credentials = token_auth.get_auth()
    if credentials is None:
        return False
    try:
        user_for_payload(decode_access_token(credentials.token)[0])
    except APIException:
        return False
    return True


def _cap_anonymous_body() -> None:
    """413 for a body over ANONYMOUS_MAX_CONTENT_LENGTH unless the caller sends a valid token.

    Login, registration and the notify routes take small bodies; only signed-in callers
    (uploads) may send up to MAX_CONTENT_LENGTH. The token is only looked at for large bodies.
    """
    environ = request.environ
    if not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return  # no body (every catalog read): nothing to cap
    limit = current_app.config["ANONYMOUS_MAX_CONTENT_LENGTH"]
    length = request.content_length
    if not limit or (length is not None and length <= limit):
        return
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if length is None and not chunked:
        return  # no body
    if _has_valid_token():
        return
    if length is None:
        # A chunked body: read at most one byte past the limit (Werkzeug cuts a stream at
        # its maximum silently), kept for the view.
        request.max_content_length = limit + 1
        length = len(request.get_data(cache=True))
    if length > limit:
        raise HTTPError("Request body is too large", code=413)


_DEFAULT_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))
_UNFRAMEABLE_HEADERS = (
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
)


def _security_headers(response):
    """The request id, and each security header the view did not set itself.

    The names present are read in one pass: a `name in headers` test of a missing header
    (Werkzeug raises and catches a KeyError for it) cost more than the rest of the hook."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    if "x-request-id" in present:
        headers.set("X-Request-ID", request_id())
    else:
        headers.add("X-Request-ID", request_id())
    if request.path.startswith(FRAMEABLE_PATHS):
        origins = [o for o in _cms_origins() if o != "*"]
        headers.set(
            "Content-Security-Policy",
            "frame-ancestors 'self'" + "".join(" " + origin for origin in origins),
        )
        defaults = _DEFAULT_HEADERS
    else:
        defaults = _DEFAULT_HEADERS + _UNFRAMEABLE_HEADERS
    for name, value in defaults:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def _cms_origins() -> list[str]:
    raw = current_app.config["CORS_ORIGINS"]
    return [origin.strip() for origin in raw if origin.strip()]


def init_http(app: Flask) -> None:
    app.before_request(_start_request)
    app.before_request(_cap_anonymous_body)
    app.after_request(_security_headers)
