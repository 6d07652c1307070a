"""Logging in: one verb per login method, each writing the login log."""

from sqlalchemy import func, select

from app.core.exceptions import AccountDisabled, AuthFailed, ClientTypeError
from app.extensions import db
from app.models import User
from app.models.base import now
from app.services.login_log import write_login_log
from app.services.tokens import token_pair

USERNAME, EMAIL, MOBILE = 100, 101, 102
WX_MINA, WX_MINA_UNIONID, WX_OPEN, WX_ACCOUNT, QQ = 200, 201, 202, 203, 300
PASSWORD_TYPES = {USERNAME: User.username, EMAIL: User.email, MOBILE: User.mobile}
KNOWN_TYPES = {USERNAME, EMAIL, MOBILE, WX_MINA, WX_MINA_UNIONID, WX_OPEN, WX_ACCOUNT, QQ}


def find_user_by_account(client_type: int, account: str) -> User | None:
    column = PASSWORD_TYPES[client_type]
    if client_type in (USERNAME, EMAIL):
        return db.session.scalar(select(User).where(func.lower(column) == account.lower()))
    return db.session.scalar(select(User).where(column == account))


def password_login(client_type: int, account: str, secret: str) -> User:
    user = find_user_by_account(client_type, account)
    if user is None or not user.check_password(secret or ""):
        write_login_log(
            user_id=user.id if user else None,
            user_name=account[:100],
            client_type=client_type,
            status=False,
            message="Wrong account or password",
        )
        raise AuthFailed()
    if not user.active:
        write_login_log(
            user_id=user.id,
            user_name=account[:100],
            client_type=client_type,
            status=False,
            message="Account disabled",
        )
        raise AccountDisabled()
    return user


def login(client_type: int, account: str, secret: str | None) -> dict:
    """Log in by any supported client type and answer a token pair."""
    if client_type in PASSWORD_TYPES:
        user = password_login(client_type, account, secret or "")
        log_name = account[:100]
    elif client_type == WX_MINA:
        from app.services import wechat

        user = wechat.login_with_code(account)
        log_name = user.nickname or ""
    else:
        raise ClientTypeError()
    user.last_login_time = now()
    pair = token_pair(user, client_type)
    db.session.commit()
    write_login_log(
        user_id=user.id,
        user_name=log_name,
        client_type=client_type,
        status=True,
        message="Login succeeded",
    )
    return pair
