"""The CMS route tree: nested routes, their order, subtrees."""

from collections import defaultdict

from sqlalchemy import delete, func, select

from app.core.exceptions import (
    InvalidRouteTree,
    ParameterException,
    RouteNotFound,
)
from app.extensions import db
from app.models import Element, Route, group_2_element, menu
from app.models.access import RouteNode
from app.models.base import assign
from app.services.access.guards import valid_id
from app.services.unique import ensure_free


def build_tree(routes, extra=None, root: int = 0) -> list[RouteNode]:
    """RouteNode trees: children sorted by order then id, `[]` for leaves, orphans left out.

    `extra(route)` may add keys to each node (e.g. its elements)."""
    nodes = {}
    for route in routes:
        node = RouteNode(route, **(extra(route) if extra is not None else {}))
        nodes[route.id] = (route, node)
    children = defaultdict(list)
    for route, node in nodes.values():
        children[route.parent_id].append((route.order, route.id, node))

    def attach(parent_id: int, seen: frozenset) -> list[RouteNode]:
        out = []
        for _, rid, node in sorted(children.get(parent_id, []), key=lambda item: item[:2]):
            if rid in seen:  # a corrupt cycle: stop rather than recurse forever
                continue
            node.children = attach(rid, seen | {rid})
            out.append(node)
        return out

    return attach(root, frozenset({root}))


def all_routes() -> list[Route]:
    return list(db.session.scalars(select(Route)))


def full_tree() -> list[RouteNode]:
    return build_tree(all_routes())


def tree_with_elements() -> list[RouteNode]:
    by_route = defaultdict(list)
    for element in db.session.scalars(select(Element).order_by(Element.id)):
        by_route[element.route_id].append(element)
    return build_tree(all_routes(), extra=lambda route: {"elements": by_route.get(route.id, [])})


def get_route(route_id: int) -> Route:
    route = db.session.get(Route, route_id) if valid_id(route_id) else None
    if route is None:
        raise RouteNotFound()
    return route


def route_parents() -> dict[int, int]:
    return dict(db.session.execute(select(Route.id, Route.parent_id)).all())


def descendant_ids(route_id: int, parents: dict[int, int] | None = None) -> list[int]:
    """The route and every route below it."""
    parents = parents if parents is not None else route_parents()
    children = defaultdict(list)
    for rid, parent in parents.items():
        children[parent].append(rid)
    found, stack = set(), [route_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return sorted(found)


def route_subtree(route: Route) -> RouteNode:
    """One route as a RouteNode with everything below it."""
    ids = set(descendant_ids(route.id)) - {route.id}
    node = RouteNode(route)
    node.children = build_tree([r for r in all_routes() if r.id in ids], root=route.id)
    return node


def _ensure_route_name_free(name: str, route_id: int | None = None) -> None:
    ensure_free(Route, Route.name == name, "A route with this name exists", route_id)


def _next_order(parent_id: int) -> int:
    last = db.session.scalar(select(func.max(Route.order)).where(Route.parent_id == parent_id))
    return 0 if last is None else last + 1


def create_route(fields: dict) -> Route:
    _ensure_route_name_free(fields["name"])
    parent_id = fields.get("parent_id") or 0
    if parent_id:
        get_route(parent_id)
    order = fields.get("order")
    route = Route(
        parent_id=parent_id,
        title=fields["title"],
        name=fields["name"],
        path=fields["path"],
        icon=fields.get("icon") or "",
        component=fields.get("component"),
        hidden=bool(fields.get("hidden", False)),
        order=_next_order(parent_id) if order is None else order,
    )
    db.session.add(route)
    db.session.commit()
    return route


def update_route(route: Route, changes: dict) -> Route:
    if "name" in changes:
        _ensure_route_name_free(changes["name"], route.id)
    if "parent_id" in changes and changes["parent_id"] != route.parent_id:
        parent_id = changes["parent_id"]
        if parent_id:
            get_route(parent_id)
            if parent_id in descendant_ids(route.id):
                raise InvalidRouteTree()
    assign(route, changes, ("title", "name", "path", "parent_id", "component", "hidden"))
    if "icon" in changes:
        route.icon = changes["icon"] or ""
    if changes.get("order") is not None:
        route.order = changes["order"]
    db.session.commit()
    return route


def delete_route(route: Route) -> list[int]:
    """Delete a route and its descendants with their elements, element grants and menu rows."""
    ids = descendant_ids(route.id)
    element_ids = select(Element.id).where(Element.route_id.in_(ids))
    db.session.execute(delete(group_2_element).where(group_2_element.c.element_id.in_(element_ids)))
    db.session.execute(delete(Element).where(Element.route_id.in_(ids)))
    db.session.execute(delete(menu).where(menu.c.route_id.in_(ids)))
    db.session.execute(delete(Route).where(Route.id.in_(ids)))
    db.session.commit()
    return ids


def _node_id(node) -> int:
    if not isinstance(node, dict):
        raise ParameterException("routes: every node must be an object")
    value = node.get("id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterException("routes: every node needs an integer id")
    if not valid_id(value):
        raise RouteNotFound()
    return value


def node_children(node: dict) -> list:
    children = node.get("children")
    if children is None:
        return []
    if not isinstance(children, list):
        raise ParameterException("routes: children must be a list")
    return children


def walk_nodes(nodes: list) -> list[tuple[int, int, int]]:
    """(id, parent_id, index among siblings) of every node of a nested tree, depth first."""
    if not isinstance(nodes, list):
        raise ParameterException("The body must be a JSON array of nodes")
    found = []
    stack = [(nodes, 0)]
    while stack:
        siblings, parent_id = stack.pop()
        for index, node in enumerate(siblings):
            rid = _node_id(node)
            found.append((rid, parent_id, index))
            stack.append((node_children(node), rid))
    return found


def save_tree(nodes: list) -> list[RouteNode]:
    """Re-parent and re-order the listed routes as the nested array places them."""
    placed = walk_nodes(nodes)
    ids = [rid for rid, _, _ in placed]
    if len(ids) != len(set(ids)):
        raise InvalidRouteTree()
    routes = {
        route.id: route for route in db.session.scalars(select(Route).where(Route.id.in_(ids)))
    }
    if len(routes) != len(ids):
        raise RouteNotFound()
    for rid, parent_id, index in placed:
        routes[rid].parent_id = parent_id
        routes[rid].order = index
    db.session.commit()
    return full_tree()
