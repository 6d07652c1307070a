"""Token: log in, verify, refresh, log out."""

from flask import Blueprint, current_app

from app.core.auth import (
    current_user,
    decode_access_token,
    login_required,
    public,
    user_for_payload,
)
from app.core.docs import doc
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
from app.extensions import db
from app.schemas.common import Id
from app.schemas.token import Nothing, TokenInfo, TokenPair
from app.services import account, tokens
from app.validators.token import RefreshTokenForm, TokenCreateForm, TokenVerifyForm

bp = Blueprint("token", __name__, url_prefix="/token")


@bp.post("")
@public
@limit_login
@doc(
    "Log in and get a token pair",
    body=TokenCreateForm,
    data=TokenPair,
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
def create_token():
    """Log in with a password or a WeChat code."""
    form = TokenCreateForm().validate_or_raise()
    return account.login(form.type.data, form.account.data, form.secret.data)


@bp.post("/verify")
@public
@doc(
    "Decode a token",
    body=TokenVerifyForm,
    data=TokenInfo,
    errors=[InvalidToken, ExpiredToken],
    auth=False,
)
def verify_token():
    """Decode an access token and say whom it belongs to."""
    form = TokenVerifyForm().validate_or_raise()
    payload, issued = decode_access_token(form.token.data)
    user_for_payload(payload)
    return {
        "uid": payload["uid"],
        "scope": payload.get("scope", "user"),
        "type": payload.get("type"),
        "create_at": issued,
        "expire_in": issued + current_app.config["TOKEN_EXPIRES_IN"],
    }


@bp.post("/refresh")
@public
@limit_refresh
@doc(
    "Rotate a refresh token",
    body=RefreshTokenForm,
    data=TokenPair,
    errors=[RefreshTokenInvalid, RefreshTokenReused, TooManyRequests],
    auth=False,
)
def refresh_token():
    """Exchange a refresh token for a new token pair."""
    form = RefreshTokenForm().validate_or_raise()
    return tokens.rotate(form.refresh_token.data)


@bp.post("/logout")
@public
@doc("End this session", body=RefreshTokenForm, data=Nothing, auth=False)
def logout():
    """Revoke the refresh token's family."""
    form = RefreshTokenForm().validate_or_raise()
    tokens.logout(form.refresh_token.data)
    return {}


@bp.delete("")
@login_required
@doc("Log out everywhere", data=Id, status=202)
def delete_tokens():
    """Revoke every token of the caller."""
    user = current_user()
    tokens.revoke_user_tokens(user)
    db.session.commit()
    return {"id": user.id}
