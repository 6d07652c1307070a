"""Permissions: the catalogue kept in step with the routes, grants and revocations."""

from flask import Flask
from sqlalchemy import delete, select

from app.core.exceptions import (
    PermissionNotFound,
)
from app.core.permissions import CATALOGUE, declared_permissions
from app.extensions import db
from app.models import Auth, Group, Permission, User
from app.services.access.guards import ensure_no_escalation


def live_permissions(ids: list[int]) -> list[Permission]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Permission).where(Permission.id.in_(ids), Permission.retired.is_(False))
        )
    )


def group_grants(group_id: int) -> set[tuple[str, str]]:
    """The (module, name) permissions a group holds (the check behind `@permission`)."""
    rows = db.session.execute(
        select(Permission.module, Permission.name)
        .join(Auth, Auth.permission_id == Permission.id)
        .where(Auth.group_id == group_id)
    )
    return {tuple(row) for row in rows}


def sync_permissions(app: Flask) -> None:
    """Insert the pairs routes declare (catalogue first, keeping ids stable) and mark the ones no
    route declares any more retired."""
    declared = set(declared_permissions(app))
    existing = {(p.module, p.name): p for p in db.session.scalars(select(Permission))}
    wanted = CATALOGUE + [pair for pair in declared_permissions(app) if pair not in CATALOGUE]
    fresh = not existing
    for position, (module, name) in enumerate(wanted, start=1):
        if (module, name) not in existing:
            # A fresh database gets ids in catalogue order whatever its auto-increment counter says.
            row = Permission(id=position if fresh else None, module=module, name=name)
            db.session.add(row)
            existing[(module, name)] = row
    for pair, row in existing.items():
        row.retired = pair not in declared
    db.session.commit()


def permission_catalogue() -> dict:
    """module -> [Permission], modules and permissions in catalogue (id) order, retired left out."""
    grouped: dict[str, list] = {}
    for permission in db.session.scalars(
        select(Permission).where(Permission.retired.is_(False)).order_by(Permission.id)
    ):
        grouped.setdefault(permission.module, []).append(permission)
    return grouped


def grant_permissions(caller: User, group: Group, auth_ids: list[int]) -> None:
    permissions = live_permissions(auth_ids)
    if not permissions:
        raise PermissionNotFound()
    ensure_no_escalation(caller, groups=(group.id,), permission_ids=[p.id for p in permissions])
    held = set(db.session.scalars(select(Auth.permission_id).where(Auth.group_id == group.id)))
    for permission in permissions:
        if permission.id not in held:
            db.session.add(Auth(group_id=group.id, permission_id=permission.id))
    db.session.commit()


def revoke_permissions(caller: User, group: Group, auth_ids: list[int]) -> None:
    ensure_no_escalation(caller, groups=(group.id,))
    found = list(db.session.scalars(select(Permission.id).where(Permission.id.in_(auth_ids))))
    if not found:
        raise PermissionNotFound()
    db.session.execute(delete(Auth).where(Auth.group_id == group.id, Auth.permission_id.in_(found)))
    db.session.commit()


def revoke_all_permissions(caller: User, group: Group) -> int:
    ensure_no_escalation(caller, groups=(group.id,))
    db.session.execute(delete(Auth).where(Auth.group_id == group.id))
    db.session.commit()
    return group.id
