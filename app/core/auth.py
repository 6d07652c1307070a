"""Tokens, authentication and the access declarations every route makes.

Access tokens are itsdangerous signed, time-limited payloads {uid, type, scope, ver}. They are
accepted as the user name of HTTP Basic (compat) or as a Bearer token. Flask-HTTPAuth runs the
check; the decorators below declare what each route needs:

    public        anyone; a valid token is used when sent, a bad one is ignored
    login         any valid token
    login_checked_later  the same, the user row read by the route's service (TokenCaller)
    staff         staff or super admin (admin routes)
    super         super admin only (admin routes)
    permission()  super admin, or staff whose group holds the (module, name) permission

Core knows no tables: create_app registers, with `init_auth`, the two look-ups the checks need
(the user a token names, the permissions a group holds); they live in the services.
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, g, request
from flask_httpauth import HTTPTokenAuth
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core.exceptions import ExpiredToken, Forbidden, InvalidToken
from app.core.timefmt import is_admin_request

ACCESS_TOKEN_SALT = "mini-shop.access-token"


@dataclass(frozen=True)
class AuthLoaders:
    user: Callable[[int], object]  # the user row with this id, or None
    grants: Callable[[int], set[tuple[str, str]]]  # the (module, name) pairs a group holds


def init_auth(app: Flask, *, load_user, load_grants) -> None:
    app.extensions["auth_loaders"] = AuthLoaders(user=load_user, grants=load_grants)


def _loaders() -> AuthLoaders:
    return current_app.extensions["auth_loaders"]


# ----------------------------------------------------------------------- tokens


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=ACCESS_TOKEN_SALT)


def issue_access_token(user, client_type: int) -> str:
    payload = {
        "uid": user.id,
        "type": client_type,
        "scope": user.scope,
        "ver": user.token_version or 0,
    }
    return _serializer().dumps(payload)


def _expired() -> Exception:
    # The existing CMS front end logs out only on 1002, so /cms answers expiry with 1002.
    if request.blueprint and request.blueprint.split(".")[0] == "cms":
        return InvalidToken("Token expired")
    return ExpiredToken()


def decode_access_token(token: str) -> tuple[dict, int]:
    """The payload and issue time of a valid, unexpired token (raises InvalidToken/Expired)."""
    try:
        payload, issued = _serializer().loads(
            token, max_age=current_app.config["TOKEN_EXPIRES_IN"], return_timestamp=True
        )
    except SignatureExpired:
        raise _expired() from None
    except BadSignature:
        raise InvalidToken() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise InvalidToken()
    return payload, int(issued.timestamp())


def check_token_user(user, token_version) -> None:
    """Raise unless `user` (a row with delete_time, active and token_version, or None) is live
    and active, and `token_version` (a token's `ver`) is its current one."""
    if user is None or user.delete_time is not None or not user.active:
        raise InvalidToken()
    if token_version != (user.token_version or 0):
        raise InvalidToken("Token revoked")


def user_for_payload(payload: dict):
    """The live, active user a payload names, if its token version is current."""
    user = _loaders().user(payload["uid"])
    check_token_user(user, payload.get("ver"))
    return user


@dataclass(frozen=True)
class TokenCaller:
    """The caller of a route declared `login_checked_later`: what a valid token says (user id,
    token version), before any database read. The route's service reads the user with its own
    first statement and calls `check_token_user` (401 for a deleted, disabled or revoked
    user), so a round trip is saved where every one counts (placing an order)."""

    id: int
    token_version: int | None
    is_staff = False
    is_super = False


# ------------------------------------------------------------- Flask-HTTPAuth


class _Credentials:
    def __init__(self, token: str):
        self.token = token
        self.username = None
        self.type = "bearer"


class TokenAuth(HTTPTokenAuth):
    """Reads the token from `Basic base64(token:anything)` or `Bearer token`."""

    def get_auth(self):
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value:
            return _Credentials(value)
        if scheme.lower() == "basic" and value:
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            token = decoded.partition(":")[0]
            return _Credentials(token) if token else None
        return None  # another scheme, or something like "undefined": no credentials


token_auth = TokenAuth(scheme="Bearer")


@token_auth.verify_token
def _verify_token(token: str):
    try:
        payload, _ = decode_access_token(token)
        if g.get("user_checked_later"):
            user = TokenCaller(payload["uid"], payload.get("ver"))
        else:
            user = user_for_payload(payload)
    except (InvalidToken, ExpiredToken) as error:
        g.auth_error = error
        return None
    g.token_payload = payload
    return user


@token_auth.error_handler
def _auth_error(status):
    raise g.pop("auth_error", None) or InvalidToken("Missing or unreadable token")


def current_user():
    """The authenticated user of this request, or None."""
    return g.get("flask_httpauth_user")


# ------------------------------------------------------------ access control


@dataclass(frozen=True)
class Access:
    kind: str  # public | login | staff | super | perm
    name: str = ""
    module: str = ""


def has_permission(user, module: str, name: str) -> bool:
    if user.is_super:
        return True
    if user.group_id is None:
        return False
    cache = g.setdefault("granted_permissions", {})
    if user.group_id not in cache:
        cache[user.group_id] = _loaders().grants(user.group_id)
    return (module, name) in cache[user.group_id]


def authorize(access: Access) -> None:
    user = current_user()
    admin = is_admin_request()
    if access.kind == "public":
        if admin and user is not None and not user.is_staff:
            raise Forbidden()
        return
    if admin and not user.is_staff:
        raise Forbidden()
    if access.kind == "super" and not user.is_super:
        raise Forbidden()
    if access.kind == "perm" and not has_permission(user, access.module, access.name):
        raise Forbidden()


def _declare(access: Access, *, user_checked_later: bool = False):
    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            authorize(access)
            return view(*args, **kwargs)

        checked.access = access
        guarded = token_auth.login_required(optional=access.kind == "public")(checked)
        if user_checked_later:
            token_checked = guarded

            @wraps(view)
            def guarded(*args, **kwargs):
                g.user_checked_later = True
                return token_checked(*args, **kwargs)

        guarded.access = access
        return guarded

    return decorator


public = _declare(Access("public"))
login_required = _declare(Access("login"))
# Any valid token; current_user() is a TokenCaller, and the view's service checks the user.
login_checked_later = _declare(Access("login"), user_checked_later=True)
staff_required = _declare(Access("staff"))
super_required = _declare(Access("super"))


def permission(name: str, module: str):
    """Declare the catalogue permission (module, name) an admin route needs."""
    return _declare(Access("perm", name, module))
