"""The checks every access workflow starts with: the target exists, may be acted on, and the
caller does not hand out more than they hold (the no-escalation rule)."""

from sqlalchemy import select

from app.core.exceptions import (
    GroupNotFound,
    ProtectedUser,
    UserNotFound,
)
from app.core.forms import INT_LIMIT
from app.extensions import db
from app.models import Auth, Group, User

ESCALATION_MSG = "This user or group holds permissions you do not have"


def valid_id(value) -> bool:
    """Ids beyond the INTEGER columns (or not integers at all) name no row."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_LIMIT


def get_user(uid: int) -> User:
    user = db.session.get(User, uid) if valid_id(uid) else None
    if user is None or user.delete_time is not None:
        raise UserNotFound()
    return user


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id) if valid_id(group_id) else None
    if group is None:
        raise GroupNotFound()
    return group


def requested_group_id(group_id: int | None, caller: User) -> int | None:
    """The group a query names (which must exist), else the caller's own group, if any."""
    if group_id:
        return get_group(group_id).id
    return caller.group_id


def guard_admin_target(caller: User, target: User, *, self_forbidden: bool) -> None:
    """Admin routes: never another super admin; for destructive actions not the caller."""
    if target.id == caller.id:
        if self_forbidden:
            raise ProtectedUser()
        return
    if target.is_super:
        raise ProtectedUser()


def guard_user_target(caller: User, target: User) -> None:
    """User routes: never a super admin and never the caller themself."""
    if target.is_super or target.id == caller.id:
        raise ProtectedUser()


def _granted_ids(group_id: int | None) -> set[int]:
    if group_id is None:
        return set()
    return set(db.session.scalars(select(Auth.permission_id).where(Auth.group_id == group_id)))


def ensure_no_escalation(
    caller: User,
    *,
    users: tuple[User, ...] = (),
    groups: tuple[int | None, ...] = (),
    permission_ids: tuple[int, ...] | list[int] = (),
) -> None:
    """The one no-escalation rule (v2.md section 4), applied by every verb that changes another
    user's group, password, status or existence, a group's grants, or creates staff.

    A caller who is not a super admin may act only on users and groups whose permissions are a
    subset of their own (a customer grants nothing), and may assign only such groups and only
    permissions they hold. A super admin target holds everything. Otherwise 403 / 20030, before
    anything changes."""
    if caller.is_super:
        return
    held = _granted_ids(caller.group_id)
    wanted = {pid for pid in permission_ids if valid_id(pid)}
    for user in users:
        if user.is_super:
            raise ProtectedUser(ESCALATION_MSG)
        wanted |= _granted_ids(user.group_id)
    for group_id in groups:
        wanted |= _granted_ids(group_id or None)
    if not wanted <= held:
        raise ProtectedUser(ESCALATION_MSG)
