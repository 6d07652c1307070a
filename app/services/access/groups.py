"""Permission groups: create, rename, delete, move their users."""

from sqlalchemy import delete, func, select, update

from app.core.exceptions import (
    GroupNotEmpty,
    PermissionNotFound,
)
from app.extensions import db
from app.models import Auth, Group, Permission, User, group_2_element, menu
from app.services.access.guards import ensure_no_escalation, get_group
from app.services.access.permissions import live_permissions
from app.services.unique import ensure_free


def list_groups() -> list[Group]:
    return list(db.session.scalars(select(Group).order_by(Group.id)))


def group_permissions(group_id: int) -> list[Permission]:
    return list(
        db.session.scalars(
            select(Permission)
            .join(Auth, Auth.permission_id == Permission.id)
            .where(Auth.group_id == group_id)
            .order_by(Permission.id)
        )
    )


def group_detail(group: Group) -> dict:
    user_count = db.session.scalar(select(func.count(User.id)).where(User.group_id == group.id))
    return {
        "id": group.id,
        "name": group.name,
        "info": group.info,
        "auth_list": group_permissions(group.id),
        "user_count": user_count or 0,
    }


def _ensure_group_name_free(name: str, group_id: int | None = None) -> None:
    ensure_free(Group, Group.name == name, "A group with this name exists", group_id)


def create_group(caller: User, name: str, info: str, auth_ids: list[int]) -> Group:
    _ensure_group_name_free(name)
    permissions = live_permissions(auth_ids)
    if len(permissions) != len(auth_ids):
        raise PermissionNotFound()
    ensure_no_escalation(caller, permission_ids=auth_ids)
    group = Group(name=name, info=info or "")
    db.session.add(group)
    db.session.flush()
    for permission in permissions:
        db.session.add(Auth(group_id=group.id, permission_id=permission.id))
    db.session.commit()
    return group


def update_group(group: Group, changes: dict) -> Group:
    if "name" in changes:
        _ensure_group_name_free(changes["name"], group.id)
        group.name = changes["name"]
    if "info" in changes:
        group.info = changes["info"] or ""
    db.session.commit()
    return group


def delete_group(group: Group) -> int:
    """Delete a group with its grants, menu rows and element grants; refused while users remain."""
    gid = group.id
    if db.session.scalar(select(func.count(User.id)).where(User.group_id == gid)):
        raise GroupNotEmpty()
    # Deleted users no longer block the delete (their group_id is cleared on deletion); clear any
    # left from before that rule so the foreign key holds.
    db.session.execute(
        update(User)
        .where(User.group_id == gid, User.delete_time.is_not(None))
        .values(group_id=None)
    )
    db.session.execute(delete(Auth).where(Auth.group_id == gid))
    db.session.execute(delete(menu).where(menu.c.group_id == gid))
    db.session.execute(delete(group_2_element).where(group_2_element.c.group_id == gid))
    db.session.execute(delete(Group).where(Group.id == gid))
    db.session.commit()
    return gid


def migrate_group(caller: User, src_id: int, dest_id: int) -> dict:
    """Move every live user of one group into another."""
    get_group(src_id)
    get_group(dest_id)
    ensure_no_escalation(caller, groups=(src_id, dest_id))
    moved = db.session.execute(
        update(User)
        .where(User.group_id == src_id, User.delete_time.is_(None))
        .values(group_id=dest_id)
    ).rowcount
    db.session.commit()
    return {"src_id": src_id, "dest_id": dest_id, "moved": moved or 0}
