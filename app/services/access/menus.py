"""Group menus: the routes a group sees, with their ancestors."""

from sqlalchemy import delete, insert, select

from app.core.exceptions import (
    Forbidden,
    ParameterException,
    RouteNotFound,
)
from app.core.forms import INT_LIMIT
from app.extensions import db
from app.models import Group, Route, User, menu
from app.models.access import RouteNode
from app.services.access.guards import get_group, valid_id
from app.services.access.routes import (
    all_routes,
    build_tree,
    full_tree,
    node_children,
    route_parents,
)


def menu_route_ids(group_id: int) -> set[int]:
    """The group's routes plus all their ancestors."""
    granted = set(db.session.scalars(select(menu.c.route_id).where(menu.c.group_id == group_id)))
    parents = route_parents()
    found = set()
    for rid in granted:
        while rid and rid in parents and rid not in found:
            found.add(rid)
            rid = parents[rid]
    return found


def group_menu(group_id: int) -> list[RouteNode]:
    ids = menu_route_ids(group_id)
    return build_tree([route for route in all_routes() if route.id in ids])


def own_menu(user: User) -> list[RouteNode]:
    if user.is_super:
        return full_tree()
    if user.group_id is None:
        return []
    return group_menu(user.group_id)


def menu_for(caller: User, group_id: int | None) -> list[RouteNode]:
    """A group's menu (for a super admin only), or without a group the caller's own."""
    if group_id is None:
        return own_menu(caller)
    if not caller.is_super:
        raise Forbidden()
    return group_menu(get_group(group_id).id)


def set_menu(group: Group, nodes: list) -> list[RouteNode]:
    """Replace the group's menu rows with the route ids found anywhere in `nodes`."""
    wanted = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            raise ParameterException("routes: every node must be an object")
        value = node.get("id")
        if valid_id(value):
            wanted.append(value)
        elif isinstance(value, int) and not isinstance(value, bool) and value > INT_LIMIT:
            raise RouteNotFound()
        stack.extend(node_children(node))
    existing = (
        set(db.session.scalars(select(Route.id).where(Route.id.in_(wanted)))) if wanted else set()
    )
    if wanted and not existing:
        raise RouteNotFound()
    db.session.execute(delete(menu).where(menu.c.group_id == group.id))
    if existing:
        db.session.execute(
            insert(menu), [{"group_id": group.id, "route_id": rid} for rid in sorted(existing)]
        )
    db.session.commit()
    return group_menu(group.id)
