"""Token: log in, verify, refresh, log out."""

from flask import Blueprint

from app.api.resource import Resource, guarded
from app.core.auth import current_user, login_required, public
from app.core.exceptions import (
    AccountDisabled,
    AuthFailed,
    ClientTypeError,
    ExpiredToken,
    InvalidToken,
    RefreshTokenInvalid,
    RefreshTokenReused,
    TooManyRequests,
    WeChatCodeInvalid,
    WeChatNotConfigured,
    WeChatUnavailable,
)
from app.core.limits import limit_login, limit_refresh
from app.schemas.common import Id
from app.schemas.token import Nothing, TokenInfo, TokenPair
from app.services import account, tokens
from app.validators.token import RefreshTokenForm, TokenCreateForm, TokenVerifyForm

bp = Blueprint("token", __name__, url_prefix="/token")


def _logout(form):
    tokens.logout(form.refresh_token.data)
    return {}


sessions = Resource(bp, shape=TokenPair)
sessions.view(
    "POST",
    "",
    "create_token",
    guarded(public, limit_login),
    "Log in and get a token pair",
    "Log in with a password or a WeChat code.",
    lambda form: account.login(form.type.data, form.account.data, form.secret.data),
    body=TokenCreateForm,
    status=200,
    errors=[
        AuthFailed,
        AccountDisabled,
        ClientTypeError,
        WeChatCodeInvalid,
        WeChatNotConfigured,
        WeChatUnavailable,
        TooManyRequests,
    ],
    auth=False,
)
sessions.view(
    "POST",
    "/verify",
    "verify_token",
    public,
    "Decode a token",
    "Decode an access token and say whom it belongs to.",
    lambda form: tokens.describe_access_token(form.token.data),
    body=TokenVerifyForm,
    data=TokenInfo,
    status=200,
    errors=[InvalidToken, ExpiredToken],
    auth=False,
)
sessions.view(
    "POST",
    "/refresh",
    "refresh_token",
    guarded(public, limit_refresh),
    "Rotate a refresh token",
    "Exchange a refresh token for a new token pair.",
    lambda form: tokens.rotate(form.refresh_token.data),
    body=RefreshTokenForm,
    status=200,
    errors=[RefreshTokenInvalid, RefreshTokenReused, TooManyRequests],
    auth=False,
)
sessions.view(
    "POST",
    "/logout",
    "logout",
    public,
    "End this session",
    "Revoke the refresh token's family.",
    _logout,
    body=RefreshTokenForm,
    data=Nothing,
    status=200,
    auth=False,
)
sessions.view(
    "DELETE",
    "",
    "delete_tokens",
    login_required,
    "Log out everywhere",
    "Revoke every token of the caller.",
    lambda: {"id": tokens.revoke_everywhere(current_user())},
    data=Id,
)
