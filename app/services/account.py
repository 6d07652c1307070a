"""Accounts: logging in (each attempt writes the login log), registering, login methods,
password changes and deleting an account."""

from sqlalchemy import func, or_, select, update

from app.core.exceptions import (
    AccountDisabled,
    AtLeastOneLoginMethod,
    AuthFailed,
    ClientTypeError,
    Duplicated,
    LoginMethodNotBound,
    ParameterException,
    ProtectedUser,
    TooManyRequests,
    WrongOldPassword,
)
from app.core.limits import check_login_failures, count_login_failure
from app.extensions import db
from app.models import Auth, Permission, User
from app.models.base import now
from app.models.user import AUTH_USER, IDENTIFIER_FIELDS, spend_password_check
from app.services import coupons, wechat
from app.services.favorite import forget_favorites
from app.services.footprint import forget_footprints
from app.services.login_log import write_login_log
from app.services.orders import cancel_user_unpaid_orders
from app.services.search.history import forget_history
from app.services.tokens import revoke_user_tokens, token_pair
from app.services.unique import ensure_free
from app.services.wechat_platform import security

USERNAME, EMAIL, MOBILE = 100, 101, 102
WX_MINA, WX_MINA_UNIONID, WX_OPEN, WX_ACCOUNT, QQ = 200, 201, 202, 203, 300
PASSWORD_TYPES = {USERNAME: User.username, EMAIL: User.email, MOBILE: User.mobile}
KNOWN_TYPES = {USERNAME, EMAIL, MOBILE, WX_MINA, WX_MINA_UNIONID, WX_OPEN, WX_ACCOUNT, QQ}


def token_user(uid: int) -> User | None:
    """The user row an access token names (core/auth.py checks it is live and current)."""
    return db.session.get(User, uid)


def find_user_by_account(client_type: int, account: str) -> User | None:
    column = PASSWORD_TYPES[client_type]
    if client_type in (USERNAME, EMAIL):
        return db.session.scalar(select(User).where(func.lower(column) == account.lower()))
    return db.session.scalar(select(User).where(column == account))


def _log_failure(client_type: int, account: str, user: User | None, message: str) -> None:
    write_login_log(
        user_id=user.id if user else None,
        user_name=account[:100],
        client_type=client_type,
        status=False,
        message=message,
    )


def password_login(client_type: int, account: str, secret: str) -> User:
    user = find_user_by_account(client_type, account)
    try:
        check_login_failures(account, user)
    except TooManyRequests:
        _log_failure(client_type, account, user, "Too many failed attempts")
        raise
    if user is None:
        spend_password_check(secret or "")
    if user is None or not user.check_password(secret or ""):
        count_login_failure(account, user)
        _log_failure(client_type, account, user, "Wrong account or password")
        raise AuthFailed()
    if not user.active:
        _log_failure(client_type, account, user, "Account disabled")
        raise AccountDisabled()
    return user


def login(client_type: int, account: str, secret: str | None) -> dict:
    """Log in by any supported client type and answer a token pair; the first login of a
    customer account also grants the new-user coupons, in the same transaction."""
    if client_type in PASSWORD_TYPES:
        user = password_login(client_type, account, secret or "")
        log_name = account[:100]
    elif client_type == WX_MINA:
        user = wechat.login_with_code(account)
        log_name = user.nickname or ""
    else:
        raise ClientTypeError()
    at = now()
    # The first login of an account (a WeChat one is created just before) is the one whose
    # guarded UPDATE finds no last_login_time: it alone grants the new-user coupons.
    first_login = user.last_login_time is None and (
        db.session.execute(
            update(User)
            .where(User.id == user.id, User.last_login_time.is_(None))
            .values(last_login_time=at)
        ).rowcount
        == 1
    )
    user.last_login_time = at
    # Take the user row's write lock before the refresh token's foreign key check takes a
    # shared one: two concurrent logins of one user then queue instead of deadlocking.
    db.session.flush()
    if first_login:
        coupons.grant_new_user_coupons(user, at)
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


# ------------------------------------------------------------------ identifiers

TYPE_FIELDS = {USERNAME: "username", EMAIL: "email", MOBILE: "mobile"}
DUPLICATE_MESSAGE = "An account with these details already exists"


def ensure_identifiers_free(
    values: dict, user_id: int | None = None, *, message: str = DUPLICATE_MESSAGE
) -> None:
    """409 / 2001 if another live user holds any given user name, email or mobile.

    The message never says which one, so registration cannot be used to probe accounts.
    """
    conditions = []
    for field, value in values.items():
        if value is None:
            continue
        column = getattr(User, field)
        if field in ("username", "email"):  # both log in case-insensitively
            conditions.append(func.lower(column) == value.lower())
        else:
            conditions.append(column == value)
    if conditions:
        ensure_free(User, or_(*conditions), message, user_id)


def _lower(email: str | None) -> str | None:
    return email.lower() if email else email


# ------------------------------------------------------------------ own account


def register(
    *,
    password: str,
    username: str | None = None,
    email: str | None = None,
    mobile: str | None = None,
    nickname: str | None = None,
) -> User:
    """Create a customer account with a password (it does not log in)."""
    email = _lower(email)
    ensure_identifiers_free({"username": username, "email": email, "mobile": mobile})
    user = User(auth=AUTH_USER, username=username, email=email, mobile=mobile, nickname=nickname)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def update_profile(user: User, changes: dict) -> User:
    """Apply nickname / username / email / mobile changes; None removes an identifier."""
    changes = {
        field: changes[field] for field in ("nickname", *IDENTIFIER_FIELDS) if field in changes
    }
    if "email" in changes:
        changes["email"] = _lower(changes["email"])
    ensure_identifiers_free(
        {field: changes[field] for field in IDENTIFIER_FIELDS if field in changes}, user.id
    )
    removes = any(
        changes.get(field, "") is None and getattr(user, field) is not None
        for field in IDENTIFIER_FIELDS
    )
    if removes and not user.can_log_in(**changes):
        raise AtLeastOneLoginMethod("At least one login method must remain")
    if changes.get("nickname") and changes["nickname"] != user.nickname:
        security.ensure_nickname_allowed(user.id, changes["nickname"])
    for field, value in changes.items():
        setattr(user, field, value)
    db.session.commit()
    return user


def change_password(user: User, old_password: str | None, new_password: str, client_type: int):
    """Set a new password, end every other session and answer a fresh token pair.

    A wrong old password is a failed login of the account (the same counters as login), so a
    stolen access token cannot be used to guess the password without limit.
    """
    if user.password_hash:
        if old_password is None:
            message = "This field is required."
            raise ParameterException(f"old_password: {message}", errors={"old_password": [message]})
        check_login_failures("", user)
        if not user.check_password(old_password):
            count_login_failure("", user)
            raise WrongOldPassword()
    user.set_password(new_password)
    revoke_user_tokens(user)
    pair = token_pair(user, client_type)
    db.session.commit()
    return pair


def bind(user: User, client_type: int, account: str, secret: str | None = None) -> User:
    """Add a login method: a user name, email, mobile, or a WeChat identity from a fresh code."""
    if client_type == WX_MINA:
        if user.wx_bound:
            raise Duplicated("A WeChat account is already bound")
        session = wechat.code_to_session(account)
        if wechat.identity_taken(WX_MINA, session.openid):
            raise Duplicated("This WeChat account is already bound")
        wechat.add_identities(user, session)
    else:
        field = TYPE_FIELDS[client_type]
        value = _lower(account) if field == "email" else account
        ensure_identifiers_free({field: value}, user.id)
        setattr(user, field, value)
    if secret and not user.password_hash:
        user.set_password(secret)
    db.session.commit()
    return user


def unbind(user: User, client_type: int) -> User:
    """Remove a login method, as long as another way to log in remains."""
    if client_type == WX_MINA:
        if not user.wx_bound:
            raise LoginMethodNotBound()
        if not user.can_log_in(wx_bound=False):
            raise AtLeastOneLoginMethod()
        user.identities = [i for i in user.identities if i.type not in (WX_MINA, WX_MINA_UNIONID)]
    else:
        field = TYPE_FIELDS[client_type]
        if getattr(user, field) is None:
            raise LoginMethodNotBound()
        if not user.can_log_in(**{field: None}):
            raise AtLeastOneLoginMethod()
        setattr(user, field, None)
    db.session.commit()
    return user


def user_permissions(user: User) -> list[Permission]:
    """The caller's permissions by id: a super admin holds the whole live catalogue."""
    if user.is_super:
        query = select(Permission).where(Permission.retired.is_(False))
    elif user.group_id is not None:
        query = (
            select(Permission)
            .join(Auth, Auth.permission_id == Permission.id)
            .where(Auth.group_id == user.group_id)
        )
    else:
        return []
    return list(db.session.scalars(query.order_by(Permission.id)))


def delete_account(user: User, actor_type: str, actor_id: int | None) -> None:
    """Soft-delete a user: free their identifiers, drop WeChat identities, revoke every token
    and cancel their unpaid orders (paid ones are kept); their search history, favourites
    and footprints go, their reviews stay (signed with a masked name).

    Super admins are never deleted this way, and an admin cannot delete themself (403 / 20030).
    """
    if user.is_super or (actor_type != "customer" and actor_id == user.id):
        raise ProtectedUser()
    cancel_user_unpaid_orders(user.id, actor_type=actor_type, actor_id=actor_id)
    user.username = user.email = user.mobile = user.group_id = None
    user.identities = []
    revoke_user_tokens(user)
    forget_history(user.id)
    forget_favorites(user.id)
    forget_footprints(user.id)
    user.soft_delete()
    db.session.commit()
