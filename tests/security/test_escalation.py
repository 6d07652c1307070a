"""No escalation (v2.md section 4), generated from the route map and each view's declared mark.

Every admin route that changes another user's group, password, status or existence, a group's
grants, or creates staff carries `@no_escalation(...)` (app.core.permissions), naming the path
parameter of its target user, the fields naming the groups it assigns or edits and the field
listing the permissions it grants. For each marked route:

- perm routes: staff holding exactly the route's permission get 403 / 20030 and no row of `user`,
  `group` or `auth` changes when any one named thing holds a permission they lack; with every
  named thing within their permissions the action succeeds and changes the target;
- super routes: staff holding every catalogue permission are still refused (403 / 1004) with
  nothing changed; a super admin is not limited by the rule.

A sweep calls every admin write route as a super admin at a victim user and groups and fails for
any route that changes a user's group, password, status or existence or a group's grants without
being marked (and, to prove the sweep sees such changes, for a marked route that changes none).
"""

import itertools
from urllib.parse import urlencode

from sqlalchemy import select

from app.core.permissions import CATALOGUE
from app.extensions import db
from app.models import Auth, Group, User
from tests import factories
from tests.security.helpers import access_tables, permission_id, routes

PASSWORD = "matrix-secret-42"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SUPER_PAIR = ("用户", "查询用户列表")  # the "held" permission of super-route cases
_seq = itertools.count(1)


def _marked(app):
    found = [r for r in routes(app, "/v2/", "/cms/") if r.escalation is not None]
    assert found, "no route is marked with @no_escalation"
    return found


def _other_pair(pair):
    return next(p for p in CATALOGUE if p != pair)


def _staff(*pairs, active=False):
    return factories.make_staff(*pairs, active=active)


def _send(client, route, headers, path_values: dict, fields: dict):
    path = route.path(**path_values)
    method = getattr(client, route.method.lower())
    if route.method in ("POST", "PUT", "PATCH"):
        return method(path, json=fields, headers=headers)
    query = {key: value for key, value in fields.items() if not isinstance(value, list)}
    return method(path + ("?" + urlencode(query) if query else ""), headers=headers)


def _cases(mark):
    """(label, which named thing is above the caller) for one marked route."""
    yield "all within", None
    if mark.user:
        yield "customer target", "customer"
        yield f"target {mark.user} above", "user"
    for index, name in enumerate(mark.groups):
        yield f"group {name} above", index
    if mark.permissions:
        yield f"{mark.permissions} above", "permissions"


def _request(route, held_pairs, above):
    """Rows for one case and the (path values, fields) naming them. Targets are disabled staff so
    that enabling, disabling (token version), password, group and delete all change their row."""
    mark = route.escalation
    held_ids = [permission_id(pair) for pair in held_pairs]
    extra = _other_pair(held_pairs[0]) if held_pairs else CATALOGUE[0]
    high_pairs = (*held_pairs, extra)
    n = next(_seq)
    path_values, fields = (
        {},
        {
            "nickname": f"Matrix{n}",
            "email": f"matrix{n}@example.com",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "new_password": PASSWORD,
            "name": f"matrix-group-{n}",
            "auth_ids": held_ids,
        },
    )
    if mark.user:
        assert mark.user in route.int_params, f"{route}: {mark.user} is not an int path parameter"
        if above == "user":
            target = _staff(*high_pairs)
        elif above == "customer":
            target = factories.make_user(active=False)
        else:
            target = _staff(*held_pairs)
        path_values[mark.user] = target.id
    for index, name in enumerate(mark.groups):
        group = factories.make_group(*(high_pairs if above == index else held_pairs))
        factories.make_user(group=group, active=False)  # a member, so a migration moves someone
        if name in route.int_params:
            path_values[name] = group.id
        else:
            fields[name] = group.id
    if mark.permissions:
        fields[mark.permissions] = (
            [permission_id(extra)] if above == "permissions" else held_ids or [1]
        )
    return path_values, fields


def test_marked_routes_are_admin_routes_the_matrix_can_fill(app):
    for route in _marked(app):
        assert route.kind in ("perm", "super"), f"{route}: marked but declared {route.kind}"
        mark = route.escalation
        assert mark.user or mark.groups or mark.permissions, f"{route}: empty mark"
        if mark.user:
            assert mark.user in route.int_params, f"{route}: {mark.user} is not in the path"


def test_staff_with_the_route_permission_cannot_act_beyond_their_own(app, client):
    perm_routes = [r for r in _marked(app) if r.kind == "perm"]
    assert perm_routes
    failures, cases = [], 0
    for route in perm_routes:
        pair = (route.access.module, route.access.name)
        for label, above in _cases(route.escalation):
            caller = factories.make_staff(pair)
            path_values, fields = _request(route, (pair,), above)
            before = access_tables()
            response = _send(client, route, factories.auth_headers(caller), path_values, fields)
            db.session.rollback()
            body = response.get_json(silent=True) or {}
            after = access_tables()
            cases += 1
            if above in (None, "customer"):
                if response.status_code >= 300:
                    failures.append(f"{route} {label}: {response.status_code} {body}")
                elif after == before:
                    failures.append(f"{route} {label}: succeeded but changed nothing")
            else:
                if (response.status_code, body.get("error_code")) != (403, 20030):
                    failures.append(f"{route} {label}: {response.status_code} {body}")
                if after != before:
                    failures.append(f"{route} {label}: refused but the database changed")
    print(f"escalation matrix: {len(perm_routes)} perm routes, {cases} cases")
    assert not failures, "\n".join(failures)


def test_super_routes_refuse_staff_and_do_not_limit_the_super_admin(app, client, super_admin):
    super_routes = [r for r in _marked(app) if r.kind == "super"]
    assert super_routes
    everything = factories.auth_headers(factories.make_staff(*CATALOGUE))
    root = factories.auth_headers(super_admin)
    failures = []
    for route in super_routes:
        for label, above in _cases(route.escalation):
            path_values, fields = _request(route, (SUPER_PAIR,), above)
            before = access_tables()
            response = _send(client, route, everything, path_values, fields)
            db.session.rollback()
            body = response.get_json(silent=True) or {}
            if (response.status_code, body.get("error_code")) != (403, 1004):
                failures.append(f"{route} {label} as staff: {response.status_code} {body}")
            if access_tables() != before:
                failures.append(f"{route} {label} as staff: the database changed")
            response = _send(client, route, root, path_values, fields)
            db.session.rollback()
            if response.status_code >= 300:
                failures.append(f"{route} {label} as super admin: {response.status_code}")
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------------ sweep

VICTIM_TOP = 990000  # victims count down, so rows a route creates never take the next ids


def _powers(caller_id: int) -> tuple:
    """What the rule protects: each live user's group, password, status and existence, and the
    grants of each group (a deleted group's rows excepted), the caller's own row left out."""
    with db.engine.connect() as connection:
        users = {
            row.id: (row.group_id, row.password_hash, row.active, row.token_version, row.auth)
            for row in connection.execute(
                select(User.__table__).where(User.__table__.c.delete_time.is_(None))
            )
            if row.id != caller_id
        }
        grants = set(connection.execute(select(Auth.group_id, Auth.permission_id)).all())
        groups = set(connection.execute(select(Group.id)).scalars())
    return users, grants, groups


def _changed(before: tuple, after: tuple) -> bool:
    users_before, grants_before, _ = before
    users_after, grants_after, groups_after = after
    kept = {grant for grant in grants_before if grant[0] in groups_after}
    return users_before != users_after or kept != grants_after


def _victims(victim: int, other: int) -> list[int]:
    """A disabled staff member `victim` in group `victim` (holding X), a group `other` holding Y:
    the ids of X and Y."""
    x, y = CATALOGUE[5], CATALOGUE[10]
    for gid, pair in ((victim, x), (other, y)):
        db.session.add(Group(id=gid, name=f"victim-{gid}", info=""))
        db.session.flush()
        db.session.add(Auth(group_id=gid, permission_id=permission_id(pair)))
    db.session.commit()
    factories.make_user(id=victim, group=db.session.get(Group, victim), active=False)
    return [permission_id(x), permission_id(y)]


def test_every_route_changing_powers_is_marked(app, client, super_admin):
    headers = factories.auth_headers(super_admin)
    write_routes = [r for r in routes(app, "/v2/", "/cms/") if r.method in WRITE_METHODS]
    unmarked, silent = [], []
    for index, route in enumerate(write_routes):
        victim, other = VICTIM_TOP - 2 * index, VICTIM_TOP - 2 * index - 1
        ids = _victims(victim, other)
        fields = {
            "group_id": other,
            "src_id": victim,
            "dest_id": other,
            "auth_ids": ids,
            "nickname": f"Sweep{index}",
            "email": f"sweep{index}@example.com",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "new_password": PASSWORD,
            "name": f"sweep-group-{index}",
        }
        values = {name: victim for name in route.int_params + route.other_params}
        before = _powers(super_admin.id)
        _send(client, route, headers, values, fields)
        db.session.rollback()
        changed = _changed(before, _powers(super_admin.id))
        if changed and route.escalation is None:
            unmarked.append(str(route))
        if not changed and route.escalation is not None:
            silent.append(str(route))
    print(f"escalation sweep: {len(write_routes)} write routes")
    assert not unmarked, "routes change users' powers without @no_escalation: " + ", ".join(
        unmarked
    )
    assert not silent, "the sweep saw no change by these marked routes: " + ", ".join(silent)
