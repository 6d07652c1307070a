"""WeChat mini-program login: exchange a `wx.login` code for an openid (jscode2session).

The `session_key` WeChat returns is never stored, returned or logged: nothing here reads it.
"""

from dataclasses import dataclass

import requests
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.exceptions import (
    AccountDisabled,
    APIException,
    Conflict,
    TooManyRequests,
    WeChatCodeInvalid,
    WeChatNotConfigured,
    WeChatUnavailable,
)
from app.extensions import db
from app.models import Identity, User
from app.services.login_log import write_login_log

WX_MINA, WX_MINA_UNIONID = 200, 201
# 40029 invalid code, 40163 code already used, 40226 user blocked by WeChat.
CODE_INVALID_ERRORS = frozenset({40029, 40163, 40226})
RATE_LIMITED_ERROR = 45011


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    unionid: str | None = None


def _errcode(body: dict) -> int | None:
    try:
        return int(body.get("errcode") or 0)
    except (TypeError, ValueError):
        return None  # not even a number: treat as an unknown error


def code_to_session(code: str) -> WeChatSession:
    """Ask WeChat whom a `wx.login` code belongs to; raise a WeChat* APIException on failure."""
    config = current_app.config
    app_id, app_secret = config["WX_APP_ID"], config["WX_APP_SECRET"]
    if not app_id or not app_secret:
        raise WeChatNotConfigured()
    try:
        response = requests.get(
            f"{config['WECHAT_API_BASE'].rstrip('/')}/sns/jscode2session",
            params={
                "appid": app_id,
                "secret": app_secret,
                "js_code": code,
                "grant_type": "authorization_code",
            },
            timeout=config["WX_TIMEOUT"],
        )
    except requests.RequestException:
        raise WeChatUnavailable() from None
    if response.status_code != 200:
        raise WeChatUnavailable()
    try:
        body = response.json()
    except ValueError:
        raise WeChatUnavailable() from None
    if not isinstance(body, dict):
        raise WeChatUnavailable()
    errcode = _errcode(body)
    if errcode in CODE_INVALID_ERRORS:
        raise WeChatCodeInvalid()
    if errcode == RATE_LIMITED_ERROR:
        # WeChat's quota is per minute; the client may retry once it has passed.
        raise TooManyRequests(headers={"Retry-After": "60"})
    openid, unionid = body.get("openid"), body.get("unionid")
    if errcode != 0 or not isinstance(openid, str) or not openid:
        raise WeChatUnavailable()
    return WeChatSession(openid, unionid if isinstance(unionid, str) and unionid else None)


def find_user_by_openid(openid: str) -> User | None:
    return db.session.scalar(
        select(User)
        .join(Identity, Identity.user_id == User.id)
        .where(Identity.type == WX_MINA, Identity.identifier == openid)
    )


def identity_taken(identity_type: int, identifier: str) -> bool:
    return (
        db.session.scalar(
            select(Identity.id).where(
                Identity.type == identity_type, Identity.identifier == identifier
            )
        )
        is not None
    )


def add_identities(user: User, session: WeChatSession) -> None:
    """Attach the openid, and the union id when WeChat sent one nobody holds yet."""
    db.session.add(Identity(user=user, type=WX_MINA, identifier=session.openid))
    if session.unionid and not identity_taken(WX_MINA_UNIONID, session.unionid):
        db.session.add(Identity(user=user, type=WX_MINA_UNIONID, identifier=session.unionid))


def _remember_unionid(user: User, unionid: str | None) -> None:
    # WeChat sends the union id only in some setups; keep it once it shows up.
    if not unionid or any(identity.type == WX_MINA_UNIONID for identity in user.identities):
        return
    if not identity_taken(WX_MINA_UNIONID, unionid):
        db.session.add(Identity(user=user, type=WX_MINA_UNIONID, identifier=unionid))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # a concurrent login stored it first


def _user_for_session(session: WeChatSession) -> User:
    user = find_user_by_openid(session.openid)
    if user is not None:
        _remember_unionid(user, session.unionid)
        return user
    user = User(auth=1, nickname=None)
    db.session.add(user)
    add_identities(user, session)
    try:
        db.session.commit()
    except IntegrityError:
        # Another first login with the same openid won the unique key: log into its user.
        db.session.rollback()
        user = find_user_by_openid(session.openid)
        if user is None:
            raise Conflict() from None
    return user


def _log_failure(user: User | None, message: str) -> None:
    write_login_log(
        user_id=user.id if user else None,
        user_name=(user.nickname or "") if user else "",
        client_type=WX_MINA,
        status=False,
        message=message,
    )


def login_with_code(code: str) -> User:
    """The user a `wx.login` code belongs to, created on the first login."""
    try:
        user = _user_for_session(code_to_session(code))
    except APIException as error:
        _log_failure(None, error.msg)
        raise
    if not user.active:
        _log_failure(user, "Account disabled")
        raise AccountDisabled()
    return user
