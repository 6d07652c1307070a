"""access.ensure_no_escalation in the verbs behind the super-admin routes marked @no_escalation.

Staff never reach those routes (403 / 1004), but the verbs apply the rule themselves, so a route
opened to a permission later is still bounded: a staff caller aiming at a user or group beyond
their permissions, or granting a permission they lack, gets ProtectedUser and nothing
changes; within their permissions the verb works.
"""

import pytest

from app.core.exceptions import ProtectedUser
from app.extensions import db
from app.services import access
from tests import factories
from tests.security.helpers import access_tables, permission_id, routes

HELD = ("用户", "查询用户列表")
EXTRA = ("订单", "订单退款")
PASSWORD = "service-secret-42"


class World:
    def __init__(self):
        self.caller = factories.make_staff(HELD)
        self.held = permission_id(HELD)
        self.extra = permission_id(EXTRA)
        self.low = factories.make_group(HELD)
        self.low2 = factories.make_group(HELD)
        self.high = factories.make_group(HELD, EXTRA)
        self.empty = factories.make_group()
        self.low_user = factories.make_user(group=self.low, active=False)
        self.high_user = factories.make_user(group=self.high, active=False)
        self.customer = factories.make_user(active=False)


def _new_admin(w, group):
    return access.create_admin(
        w.caller,
        nickname="New",
        username=None,
        email=f"new{group.id}@example.com",
        mobile=None,
        password=PASSWORD,
        group_id=group.id,
    )


# endpoint (without the v2./cms. prefix) -> (calls aiming beyond the caller, a call within)
CASES = {
    "admin.create_admin": (
        lambda w: [lambda: _new_admin(w, w.high)],
        lambda w: _new_admin(w, w.low),
    ),
    "admin.update_admin": (
        lambda w: [
            lambda: access.update_admin(w.caller, w.high_user, {"nickname": "Renamed"}),
            lambda: access.update_admin(w.caller, w.customer, {"group_id": w.high.id}),
        ],
        lambda w: access.update_admin(w.caller, w.low_user, {"group_id": w.low2.id}),
    ),
    "admin.reset_admin_password": (
        lambda w: [lambda: access.reset_password(w.caller, w.high_user, PASSWORD)],
        lambda w: access.reset_password(w.caller, w.low_user, PASSWORD),
    ),
    "admin.activate_admin": (
        lambda w: [lambda: access.set_active(w.caller, w.high_user, True)],
        lambda w: access.set_active(w.caller, w.low_user, True),
    ),
    "admin.disable_admin": (
        lambda w: [lambda: access.set_active(w.caller, w.high_user, False)],
        lambda w: access.set_active(w.caller, w.low_user, False),
    ),
    "admin.delete_admin": (
        lambda w: [lambda: access.delete_user(w.caller, w.high_user)],
        lambda w: access.delete_user(w.caller, w.low_user),
    ),
    "group.migrate_group": (
        lambda w: [
            lambda: access.migrate_group(w.caller, w.low.id, w.high.id),
            lambda: access.migrate_group(w.caller, w.high.id, w.low.id),
        ],
        lambda w: access.migrate_group(w.caller, w.low.id, w.low2.id),
    ),
    "group.create_group": (
        lambda w: [lambda: access.create_group(w.caller, "More", "", [w.held, w.extra])],
        lambda w: access.create_group(w.caller, "Same", "", [w.held]),
    ),
    "auth.append_permissions": (
        lambda w: [
            lambda: access.grant_permissions(w.caller, w.low, [w.extra]),
            lambda: access.grant_permissions(w.caller, w.caller.group, [w.extra]),
            lambda: access.grant_permissions(w.caller, w.high, [w.held]),
        ],
        lambda w: access.grant_permissions(w.caller, w.empty, [w.held]),
    ),
    "auth.remove_permissions": (
        lambda w: [lambda: access.revoke_permissions(w.caller, w.high, [w.held])],
        lambda w: access.revoke_permissions(w.caller, w.low, [w.held]),
    ),
    "auth.delete_group_permissions": (
        lambda w: [lambda: access.revoke_all_permissions(w.caller, w.high)],
        lambda w: access.revoke_all_permissions(w.caller, w.low),
    ),
}


def test_every_marked_super_route_has_a_service_case(app):
    marked = {
        r.endpoint.split(".", 1)[1]
        for r in routes(app, "/v2/", "/cms/")
        if r.escalation is not None and r.kind == "super"
    }
    assert marked == set(CASES)


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_verb_refuses_a_staff_caller_beyond_their_permissions(endpoint):
    above, _ = CASES[endpoint]
    world = World()
    for call in above(world):
        before = access_tables()
        with pytest.raises(ProtectedUser):
            call()
        db.session.rollback()
        assert access_tables() == before


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_verb_serves_a_staff_caller_within_their_permissions(endpoint):
    _, within = CASES[endpoint]
    world = World()
    before = access_tables()
    within(world)
    assert access_tables() != before


def test_super_admin_caller_is_not_limited():
    world = World()
    root = factories.make_user(auth=2)
    access.grant_permissions(root, world.low, [world.extra])
    access.set_active(root, world.high_user, True)
    assert db.session.get(type(world.high_user), world.high_user.id).active is True


def test_super_admin_target_is_beyond_any_staff_caller():
    world = World()
    root = factories.make_user(auth=2)
    with pytest.raises(ProtectedUser):
        access.ensure_no_escalation(world.caller, users=(root,))
