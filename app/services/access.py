"""Access control: admins and users as the CMS manages them, groups, grants, the CMS route tree,
group menus and page elements. Every verb takes its inputs explicitly and commits once."""

from collections import defaultdict

from flask import Flask
from sqlalchemy import delete, func, insert, or_, select, update

from app.core.exceptions import (
    AtLeastOneLoginMethod,
    Duplicated,
    ElementNotFound,
    GroupNotEmpty,
    GroupNotFound,
    InvalidRouteTree,
    ParameterException,
    PermissionNotFound,
    ProtectedUser,
    RouteNotFound,
    UserNotFound,
)
from app.core.forms import INT_LIMIT
from app.core.permissions import CATALOGUE, declared_permissions
from app.extensions import db
from app.models import Auth, Element, Group, Permission, Route, User, group_2_element, menu
from app.models.user import AUTH_USER
from app.services.account import delete_account
from app.services.tokens import revoke_user_tokens

# Ids beyond a 64-bit integer cannot name a row (and overflow SQLite's driver).


ESCALATION_MSG = "This user or group holds permissions you do not have"


def _valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_LIMIT


# ---------------------------------------------------------------------- people


def get_user(uid: int) -> User:
    user = db.session.get(User, uid) if _valid_id(uid) else None
    if user is None or user.delete_time is not None:
        raise UserNotFound()
    return user


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id) if _valid_id(group_id) else None
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
    wanted = {pid for pid in permission_ids if _valid_id(pid)}
    for user in users:
        if user.is_super:
            raise ProtectedUser(ESCALATION_MSG)
        wanted |= _granted_ids(user.group_id)
    for group_id in groups:
        wanted |= _granted_ids(group_id or None)
    if not wanted <= held:
        raise ProtectedUser(ESCALATION_MSG)


def _ensure_unique(user_id: int | None, **values) -> None:
    """409 / 2001 when another live user holds a username, email or mobile (not saying which)."""
    conditions = []
    if values.get("username"):
        conditions.append(func.lower(User.username) == values["username"].lower())
    if values.get("email"):
        conditions.append(func.lower(User.email) == values["email"].lower())
    if values.get("mobile"):
        conditions.append(User.mobile == values["mobile"])
    if not conditions:
        return
    statement = select(User.id).where(or_(*conditions))
    if user_id is not None:
        statement = statement.where(User.id != user_id)
    if db.session.scalar(statement.limit(1)) is not None:
        raise Duplicated("This user name, email or mobile is already used")


def admin_list_statement(group_id: int | None):
    statement = select(User).where(User.group_id.is_not(None), User.auth != 2)
    if group_id is not None:
        statement = statement.where(User.group_id == group_id)
    return statement.order_by(User.id)


def user_list_statement(group_id: int | None, keyword: str | None):
    statement = select(User).where(User.auth != 2)
    if group_id is not None:
        statement = statement.where(User.group_id == group_id)
    if keyword:
        pattern = "%" + keyword.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        statement = statement.where(
            or_(
                User.nickname.like(pattern, escape="\\"),
                User.username.like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
                User.mobile.like(pattern, escape="\\"),
            )
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
    for key in ("nickname", "username", "email", "mobile", "group_id"):
        if key in changes:
            setattr(target, key, changes[key])
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


# ---------------------------------------------------------------------- groups


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
        **group.to_dict(),
        "auth_list": [permission.to_dict() for permission in group_permissions(group.id)],
        "user_count": user_count or 0,
    }


def _ensure_group_name_free(name: str, group_id: int | None = None) -> None:
    statement = select(Group.id).where(Group.name == name)
    if group_id is not None:
        statement = statement.where(Group.id != group_id)
    if db.session.scalar(statement) is not None:
        raise Duplicated("A group with this name exists")


def _live_permissions(ids: list[int]) -> list[Permission]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Permission).where(Permission.id.in_(ids), Permission.retired.is_(False))
        )
    )


def create_group(caller: User, name: str, info: str, auth_ids: list[int]) -> Group:
    _ensure_group_name_free(name)
    permissions = _live_permissions(auth_ids)
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


# ----------------------------------------------------------------- permissions


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
        grouped.setdefault(permission.module, []).append(permission.to_dict())
    return grouped


def grant_permissions(caller: User, group: Group, auth_ids: list[int]) -> None:
    permissions = _live_permissions(auth_ids)
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


# ------------------------------------------------------------------ route tree


def build_tree(routes, extra=None, root: int = 0) -> list[dict]:
    """RouteNode trees: children sorted by order then id, `[]` for leaves, orphans left out.

    `extra(route)` may add keys to each node (e.g. its elements)."""
    nodes = {}
    for route in routes:
        node = route.to_node()
        if extra is not None:
            node.update(extra(route))
        nodes[route.id] = (route, node)
    children = defaultdict(list)
    for route, node in nodes.values():
        children[route.parent_id].append((route.order, route.id, node))

    def attach(parent_id: int, seen: frozenset) -> list[dict]:
        out = []
        for _, rid, node in sorted(children.get(parent_id, []), key=lambda item: item[:2]):
            if rid in seen:  # a corrupt cycle: stop rather than recurse forever
                continue
            node["children"] = attach(rid, seen | {rid})
            out.append(node)
        return out

    return attach(root, frozenset({root}))


def all_routes() -> list[Route]:
    return list(db.session.scalars(select(Route)))


def full_tree() -> list[dict]:
    return build_tree(all_routes())


def tree_with_elements() -> list[dict]:
    by_route = defaultdict(list)
    for element in db.session.scalars(select(Element).order_by(Element.id)):
        by_route[element.route_id].append(element.to_dict())
    return build_tree(all_routes(), extra=lambda route: {"elements": by_route.get(route.id, [])})


def get_route(route_id: int) -> Route:
    route = db.session.get(Route, route_id) if _valid_id(route_id) else None
    if route is None:
        raise RouteNotFound()
    return route


def _parents() -> dict[int, int]:
    return dict(db.session.execute(select(Route.id, Route.parent_id)).all())


def descendant_ids(route_id: int, parents: dict[int, int] | None = None) -> list[int]:
    """The route and every route below it."""
    parents = parents if parents is not None else _parents()
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


def route_subtree(route: Route) -> dict:
    """One route as a RouteNode with everything below it."""
    ids = set(descendant_ids(route.id)) - {route.id}
    node = route.to_node()
    node["children"] = build_tree([r for r in all_routes() if r.id in ids], root=route.id)
    return node


def _ensure_route_name_free(name: str, route_id: int | None = None) -> None:
    statement = select(Route.id).where(Route.name == name)
    if route_id is not None:
        statement = statement.where(Route.id != route_id)
    if db.session.scalar(statement) is not None:
        raise Duplicated("A route with this name exists")


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
    for key in ("title", "name", "path", "parent_id", "component", "hidden"):
        if key in changes:
            setattr(route, key, changes[key])
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
    if not _valid_id(value):
        raise RouteNotFound()
    return value


def _node_children(node: dict) -> list:
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
            stack.append((_node_children(node), rid))
    return found


def save_tree(nodes: list) -> list[dict]:
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


# ----------------------------------------------------------------------- menus


def menu_route_ids(group_id: int) -> set[int]:
    """The group's routes plus all their ancestors."""
    granted = set(db.session.scalars(select(menu.c.route_id).where(menu.c.group_id == group_id)))
    parents = _parents()
    found = set()
    for rid in granted:
        while rid and rid in parents and rid not in found:
            found.add(rid)
            rid = parents[rid]
    return found


def group_menu(group_id: int) -> list[dict]:
    ids = menu_route_ids(group_id)
    return build_tree([route for route in all_routes() if route.id in ids])


def own_menu(user: User) -> list[dict]:
    if user.is_super:
        return full_tree()
    if user.group_id is None:
        return []
    return group_menu(user.group_id)


def set_menu(group: Group, nodes: list) -> list[dict]:
    """Replace the group's menu rows with the route ids found anywhere in `nodes`."""
    wanted = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            raise ParameterException("routes: every node must be an object")
        value = node.get("id")
        if _valid_id(value):
            wanted.append(value)
        elif isinstance(value, int) and not isinstance(value, bool) and value > INT_LIMIT:
            raise RouteNotFound()
        stack.extend(_node_children(node))
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


# -------------------------------------------------------------------- elements


def get_element(element_id: int) -> Element:
    element = db.session.get(Element, element_id) if _valid_id(element_id) else None
    if element is None:
        raise ElementNotFound()
    return element


def own_signs(user: User) -> list[str]:
    statement = select(Element.sign)
    if not user.is_super:
        if user.group_id is None:
            return []
        statement = statement.join(
            group_2_element, group_2_element.c.element_id == Element.id
        ).where(group_2_element.c.group_id == user.group_id)
    return sorted(db.session.scalars(statement))


def group_elements(group_id: int) -> list[Element]:
    return list(
        db.session.scalars(
            select(Element)
            .join(group_2_element, group_2_element.c.element_id == Element.id)
            .where(group_2_element.c.group_id == group_id)
            .order_by(Element.id)
        )
    )


def elements_statement(route_id: int | None):
    statement = select(Element).order_by(Element.id)
    if route_id is not None:
        get_route(route_id)
        statement = statement.where(Element.route_id == route_id)
    return statement


def _ensure_sign_free(sign: str, element_id: int | None = None) -> None:
    statement = select(Element.id).where(Element.sign == sign)
    if element_id is not None:
        statement = statement.where(Element.id != element_id)
    if db.session.scalar(statement) is not None:
        raise Duplicated("An element with this sign exists")


def create_element(name: str, sign: str, route_id: int) -> Element:
    get_route(route_id)
    _ensure_sign_free(sign)
    element = Element(name=name, sign=sign, route_id=route_id)
    db.session.add(element)
    db.session.commit()
    return element


def update_element(element: Element, changes: dict) -> Element:
    if "sign" in changes:
        _ensure_sign_free(changes["sign"], element.id)
    if "route_id" in changes:
        get_route(changes["route_id"])
    for key in ("name", "sign", "route_id"):
        if key in changes:
            setattr(element, key, changes[key])
    db.session.commit()
    return element


def deploy_elements(group: Group, element_ids: list[int]) -> dict:
    """Replace the group's element grants."""
    found = (
        sorted(db.session.scalars(select(Element.id).where(Element.id.in_(element_ids))))
        if element_ids
        else []
    )
    if element_ids and not found:
        raise ElementNotFound()
    db.session.execute(delete(group_2_element).where(group_2_element.c.group_id == group.id))
    if found:
        db.session.execute(
            insert(group_2_element), [{"group_id": group.id, "element_id": eid} for eid in found]
        )
    db.session.commit()
    return {"group_id": group.id, "element_ids": found}


def delete_elements(element_ids: list[int]) -> list[int]:
    found = sorted(db.session.scalars(select(Element.id).where(Element.id.in_(element_ids))))
    if not found:
        raise ElementNotFound()
    db.session.execute(delete(group_2_element).where(group_2_element.c.element_id.in_(found)))
    db.session.execute(delete(Element).where(Element.id.in_(found)))
    db.session.commit()
    return found
