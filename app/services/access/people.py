"""Admins and users as the CMS manages them: create, change, disable, delete."""

from sqlalchemy import select

from app.core.exceptions import (
    AtLeastOneLoginMethod,
)
from app.core.filters import keyword_filter
from app.extensions import db
from app.models import User
from app.models.base import assign
from app.models.user import AUTH_USER
from app.services.access.guards import (
    ensure_no_escalation,
    get_group,
    guard_admin_target,
    guard_user_target,
)
from app.services.account import delete_account, ensure_identifiers_free
from app.services.tokens import revoke_user_tokens


def _ensure_unique(user_id: int | None, **values) -> None:
    """409 / 2001 when another live user holds a username, email or mobile (not saying which)."""
    sent = {field: value for field, value in values.items() if value}
    message = "This user name, email or mobile is already used"
    ensure_identifiers_free(sent, user_id, message=message)


def admin_list_statement(group_id: int | None):
    statement = select(User).where(User.group_id.is_not(None), User.auth != 2)
    if group_id is not None:
        statement = statement.where(User.group_id == group_id)
    return statement.order_by(User.id)


def user_list_statement(group_id: int | None, keyword: str | None):
    statement = select(User).where(User.auth != 2)
    if group_id is not None:
        statement = statement.where(User.group_id == group_id)
    statement = keyword_filter(
        statement, keyword, User.nickname, User.username, User.email, User.mobile
    )
    return statement.order_by(User.id)


def create_admin(
    caller: User, *, nickname, username, email, mobile, password: str, group_id: int
) -> User:
    """A staff user (auth 1) in an existing group."""
    get_group(group_id)
    ensure_no_escalation(caller, groups=(group_id,))
    email = email.lower() if email else None
    _ensure_unique(None, username=username, email=email, mobile=mobile)
    user = User(
        nickname=nickname,
        username=username or None,
        email=email,
        mobile=mobile or None,
        auth=AUTH_USER,
        group_id=group_id,
        active=True,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def update_admin(caller: User, target: User, changes: dict) -> User:
    """Change the listed profile fields and the group of an admin."""
    guard_admin_target(caller, target, self_forbidden=False)
    if "group_id" in changes:
        get_group(changes["group_id"])
    ensure_no_escalation(caller, users=(target,), groups=(changes.get("group_id"),))
    if changes.get("email"):
        changes["email"] = changes["email"].lower()
    identifiers = {key: changes[key] for key in ("username", "email", "mobile") if key in changes}
    _ensure_unique(target.id, **identifiers)
    remaining = {
        key: identifiers.get(key, getattr(target, key)) for key in ("username", "email", "mobile")
    }
    if identifiers and not any(remaining.values()) and not target.wx_bound:
        raise AtLeastOneLoginMethod()
    assign(target, changes, ("nickname", "username", "email", "mobile", "group_id"))
    db.session.commit()
    return target


def set_user_group(caller: User, target: User, group_id: int | None) -> User:
    """Put a user in a group; 0 or None makes them a customer."""
    guard_user_target(caller, target)
    if group_id:
        get_group(group_id)
    ensure_no_escalation(caller, users=(target,), groups=(group_id,))
    target.group_id = group_id or None
    db.session.commit()
    return target


def reset_password(caller: User, target: User, password: str) -> User:
    ensure_no_escalation(caller, users=(target,))
    target.set_password(password)
    revoke_user_tokens(target)
    db.session.commit()
    return target


def set_active(caller: User, target: User, active: bool) -> User:
    ensure_no_escalation(caller, users=(target,))
    target.active = active
    if not active:
        revoke_user_tokens(target)
    db.session.commit()
    return target


def delete_user(caller: User, target: User) -> int:
    """Soft-delete a user exactly as they would delete their own account."""
    ensure_no_escalation(caller, users=(target,))
    uid = target.id
    delete_account(target, actor_type="admin", actor_id=caller.id)
    db.session.commit()
    return uid
