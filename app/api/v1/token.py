"""Token: log in, verify, refresh, log out."""

from flask import Blueprint, current_app

from app.core.auth import (
    current_user,
    decode_access_token,
    login_required,
    public,
    user_for_payload,
)
from app.core.docs import BOOL, ID, INT, STR, doc, obj
from app.core.limits import limit_login, limit_refresh
from app.core.response import deleted, ok
from app.extensions import db
from app.services import account, tokens
from app.validators.token import RefreshTokenForm, TokenCreateForm, TokenVerifyForm

bp = Blueprint("token", __name__, url_prefix="/token")

TOKEN_PAIR = obj(
    ["token", "token_type", "expires_in", "refresh_token", "uid", "scope"],
    token=STR,
    token_type=STR,
    expires_in=INT,
    refresh_token=STR,
    refresh_expires_in=INT,
    uid=INT,
    scope=STR,
)
TOKEN_INFO = obj(
    ["uid", "scope", "type", "create_at", "expire_in"],
    uid=INT,
    scope=STR,
    type=INT,
    create_at=INT,
    expire_in=INT,
    valid=BOOL,
)


@bp.post("")
@public
@limit_login
@doc("Log in and get a token pair", body=TokenCreateForm, data=TOKEN_PAIR, auth=False)
def create_token():
    """Log in with a password or a WeChat code."""
    form = TokenCreateForm().validate_or_raise()
    return ok(account.login(form.type.data, form.account.data, form.secret.data))


@bp.post("/verify")
@public
@doc("Decode a token", body=TokenVerifyForm, data=TOKEN_INFO, auth=False)
def verify_token():
    """Decode an access token and say whom it belongs to."""
    form = TokenVerifyForm().validate_or_raise()
    payload, issued = decode_access_token(form.token.data)
    user_for_payload(payload)
    return ok(
        {
            "uid": payload["uid"],
            "scope": payload.get("scope", "user"),
            "type": payload.get("type"),
            "create_at": issued,
            "expire_in": issued + current_app.config["TOKEN_EXPIRES_IN"],
        }
    )


@bp.post("/refresh")
@public
@limit_refresh
@doc("Rotate a refresh token", body=RefreshTokenForm, data=TOKEN_PAIR, auth=False)
def refresh_token():
    """Exchange a refresh token for a new token pair."""
    form = RefreshTokenForm().validate_or_raise()
    return ok(tokens.rotate(form.refresh_token.data))


@bp.post("/logout")
@public
@doc("End this session", body=RefreshTokenForm, data=obj(), auth=False)
def logout():
    """Revoke the refresh token's family."""
    form = RefreshTokenForm().validate_or_raise()
    tokens.logout(form.refresh_token.data)
    return ok({})


@bp.delete("")
@login_required
@doc("Log out everywhere", data=ID, status=202)
def delete_tokens():
    """Revoke every token of the caller."""
    user = current_user()
    tokens.revoke_user_tokens(user)
    db.session.commit()
    return deleted({"id": user.id})
