"""Every /v2 and /cms route against every role, generated from the URL map and each view's
declared access: no token 401, customer 403, staff without the permission 403, super admin
never refused for access."""

import re

import pytest

from app.core.auth import Access
from tests.factories import auth_headers, make_staff, make_user

METHODS = ("GET", "POST", "PUT", "DELETE")


def _admin_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("v2", "cms"):
            continue
        access: Access = app.view_functions[rule.endpoint].access
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule.rule)
        for method in sorted(set(rule.methods) & set(METHODS)):
            routes.append((method, path, access))
    return routes


def _call(client, method, path, headers=None):
    body = {} if method in ("POST", "PUT") else None
    return client.open(path, method=method, json=body, headers=headers or {})


def _refused(response) -> bool:
    body = response.get_json(silent=True) or {}
    return response.status_code == 403 and body.get("error_code") == 1004


def test_matrix_covers_the_admin_api(app):
    routes = _admin_routes(app)
    assert routes, "no admin routes registered"
    assert {path.split("/")[1] for _, path, _ in routes} == {"v2", "cms"}


def test_no_token_answers_401(app, client):
    failures = []
    for method, path, access in _admin_routes(app):
        response = _call(client, method, path)
        if access.kind == "public":
            if response.status_code == 401:
                failures.append((method, path, response.status_code))
        elif response.status_code != 401 or response.get_json()["error_code"] != 1002:
            failures.append((method, path, response.status_code))
    assert failures == []


def test_customer_token_answers_403(app, client):
    headers = auth_headers(make_user())
    failures = [
        (method, path, response.status_code)
        for method, path, _ in _admin_routes(app)
        for response in [_call(client, method, path, headers)]
        if not _refused(response)
    ]
    assert failures == []


def test_staff_without_permission_answers_403(app, client):
    headers = auth_headers(make_staff())
    failures = []
    for method, path, access in _admin_routes(app):
        response = _call(client, method, path, headers)
        refused = _refused(response)
        if access.kind in ("perm", "super") and not refused:
            failures.append((method, path, access.kind, response.status_code))
        if access.kind == "staff" and refused and not (path.endswith("/menu") and method == "GET"):
            failures.append((method, path, access.kind, response.status_code))
    assert failures == []


@pytest.mark.parametrize("prefix", ["/v2", "/cms"])
def test_super_admin_is_never_refused(app, client, prefix):
    headers = auth_headers(make_user(auth=2))
    failures = []
    for method, path, _ in _admin_routes(app):
        if not path.startswith(prefix + "/"):
            continue
        response = _call(client, method, path, headers)
        if response.status_code == 401 or _refused(response) or response.status_code >= 500:
            failures.append((method, path, response.status_code))
    assert failures == []
