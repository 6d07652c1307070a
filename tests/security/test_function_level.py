"""Function-level access, generated from the route map and each view's declared access.

Every /v2 and /cms route is called with no token, a customer token, a staff token whose group
holds nothing, a staff token holding exactly the route's permission, and a super admin token.
Path ids point at rows that do not exist and bodies are empty, so nothing is changed.
"""

from app.extensions import db
from tests import factories
from tests.security.helpers import call, routes

MISSING_ID = 987654


def _admin_routes(app):
    found = routes(app, "/v2/", "/cms/")
    assert found, "no admin route registered"
    return found


def _check(client, route_list, headers_for, allowed, label):
    failures = []
    for route in route_list:
        response = call(client, route, route.path(MISSING_ID), headers_for(route))
        body = response.get_json(silent=True) or {}
        problem = allowed(route, response.status_code, body)
        if problem:
            failures.append(f"{route} [{route.kind}]: {response.status_code} {body} ({problem})")
        db.session.rollback()
    print(f"function-level {label}: {len(route_list)} routes covered")
    assert not failures, f"{len(failures)} of {len(route_list)} routes wrong: " + "\n".join(
        failures
    )


def test_every_admin_route_declares_access(app):
    undeclared = [str(r) for r in _admin_routes(app) if r.access is None]
    assert not undeclared
    assert {r.kind for r in _admin_routes(app)} <= {"public", "staff", "super", "perm"}


def test_no_token_is_401_except_public(app, client):
    def allowed(route, status, body):
        if route.kind == "public":
            return "anonymous refused" if status == 401 or status >= 500 else None
        if status != 401 or body.get("error_code") != 1002:
            return "expected 401 / 1002"
        if body.get("request_url") != f"{route.method} {route.path(MISSING_ID)}":
            return "request_url"
        return None

    _check(client, _admin_routes(app), lambda r: {}, allowed, "no token")


def test_undefined_header_counts_as_no_token(app, client):
    def allowed(route, status, body):
        if route.kind == "public":
            return "anonymous refused" if status == 401 or status >= 500 else None
        return None if (status, body.get("error_code")) == (401, 1002) else "expected 401 / 1002"

    _check(client, _admin_routes(app), lambda r: {"Authorization": "undefined"}, allowed, "undef")


def test_customer_token_is_403_everywhere(app, client, customer):
    headers = factories.auth_headers(customer)

    def allowed(route, status, body):
        ok = status == 403 and body.get("error_code") == 1004
        return None if ok else "expected 403 / 1004"

    _check(client, _admin_routes(app), lambda r: headers, allowed, "customer")


def test_staff_without_permission_is_403_on_perm_and_super_routes(app, client):
    staff = factories.make_staff()  # a group holding no permission
    headers = factories.auth_headers(staff)

    def allowed(route, status, body):
        if route.kind in ("perm", "super"):
            ok = status == 403 and body.get("error_code") == 1004
            return None if ok else "expected 403 / 1004"
        if status in (401, 403) and route.kind == "staff":
            return "staff refused on a staff route"
        return "server error" if status >= 500 else None

    _check(client, _admin_routes(app), lambda r: headers, allowed, "staff without permission")


def test_staff_with_the_declared_permission_passes(app, client):
    perm_routes = [r for r in _admin_routes(app) if r.kind == "perm"]
    staff_by_pair = {}

    def headers_for(route):
        pair = (route.access.module, route.access.name)
        if pair not in staff_by_pair:
            staff_by_pair[pair] = factories.auth_headers(factories.make_staff(pair))
        return staff_by_pair[pair]

    def allowed(route, status, body):
        if status in (401, 403) and body.get("error_code") in (1002, 1003, 1004):
            return "refused although the group holds the permission"
        return "server error" if status >= 500 else None

    _check(client, perm_routes, headers_for, allowed, "staff with permission")


def test_super_admin_passes_every_admin_route(app, client, super_admin):
    headers = factories.auth_headers(super_admin)

    def allowed(route, status, body):
        if status in (401, 403) and body.get("error_code") in (1002, 1003, 1004):
            return "super admin refused"
        return "server error" if status >= 500 else None

    _check(client, _admin_routes(app), lambda r: headers, allowed, "super admin")


def test_disabled_staff_token_is_401(app, client):
    staff = factories.make_staff()
    headers = factories.auth_headers(staff)
    staff.active = False
    db.session.commit()
    staff_routes = [r for r in _admin_routes(app) if r.kind == "staff"]

    def allowed(route, status, body):
        return None if (status, body.get("error_code")) == (401, 1002) else "expected 401 / 1002"

    _check(client, staff_routes, lambda r: headers, allowed, "disabled staff")


def test_v1_login_routes_refuse_anonymous(app, client):
    v1 = [r for r in routes(app, "/v1/") if r.kind == "login"]

    def allowed(route, status, body):
        return None if (status, body.get("error_code")) == (401, 1002) else "expected 401 / 1002"

    _check(client, v1, lambda r: {}, allowed, "v1 login anonymous")
