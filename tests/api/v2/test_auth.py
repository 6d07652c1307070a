"""Permissions and grants: /v2/auth."""

from flask import g
from sqlalchemy import select, update

from app.core.permissions import CATALOGUE
from app.extensions import db
from app.models import Auth, Permission
from tests.factories import auth_headers, make_group, make_staff


def _granted(group_id):
    return sorted(db.session.scalars(select(Auth.permission_id).where(Auth.group_id == group_id)))


def test_list_permissions_in_catalogue_order(client, super_headers):
    response = client.get("/cms/auth/all", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    modules = list(dict.fromkeys(module for module, _ in CATALOGUE))
    assert list(data) == modules
    assert data["用户"][0] == {"id": 1, "name": "查询用户列表", "module": "用户"}
    flat = [(module, item["name"]) for module, items in data.items() for item in items]
    assert flat == CATALOGUE
    ids = [item["id"] for items in data.values() for item in items]
    assert ids == list(range(1, len(CATALOGUE) + 1))


def test_list_permissions_leaves_out_retired(client, super_headers):
    db.session.execute(update(Permission).where(Permission.id == 2).values(retired=True))
    db.session.commit()
    data = client.get("/v2/auth/all", headers=super_headers).get_json()["data"]
    assert 2 not in [item["id"] for item in data["用户"]]


def test_list_group_permissions(client, super_headers):
    group = make_group(("订单", "订单发货"), ("用户", "查询用户列表"))
    response = client.get(f"/v2/auth/by_group?group_id={group.id}", headers=super_headers)
    assert [p["id"] for p in response.get_json()["data"]["items"]] == [1, 7]


def test_list_group_permissions_default_no_group(client, super_headers):
    response = client.get("/v2/auth/by_group", headers=super_headers)
    assert response.get_json()["data"] == {"items": []}


def test_list_group_permissions_unknown_answers_80010(client, super_headers):
    response = client.get("/v2/auth/by_group?group_id=99", headers=super_headers)
    assert response.get_json()["error_code"] == 80010


def test_append_permissions_skips_granted(client, super_headers):
    group = make_group(("用户", "查询用户列表"))
    body = {"group_id": group.id, "auth_ids": [1, 2, 3]}
    response = client.put("/cms/auth/append", json=body, headers=super_headers)
    assert response.status_code == 201
    assert [p["id"] for p in response.get_json()["data"]["auth_list"]] == [1, 2, 3]
    assert _granted(group.id) == [1, 2, 3]


def test_append_unknown_permissions_answers_80030(client, super_headers):
    group = make_group()
    body = {"group_id": group.id, "auth_ids": [500]}
    response = client.put("/v2/auth/append", json=body, headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80030


def test_append_unknown_group_answers_80010(client, super_headers):
    response = client.put(
        "/v2/auth/append", json={"group_id": 99, "auth_ids": [1]}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 80010


def test_append_grants_access(client, super_headers, customer):
    staff = make_staff()
    headers = auth_headers(staff)
    assert client.get("/v2/user/list", headers=headers).status_code == 403
    body = {"group_id": staff.group_id, "auth_ids": [1]}
    client.put("/v2/auth/append", json=body, headers=super_headers)
    # Tests share one app context across requests; the per-request grant cache lives on `g`.
    g.pop("granted_permissions", None)
    assert client.get("/v2/user/list", headers=headers).status_code == 200


def test_remove_permissions_answers_202(client, super_headers):
    group = make_group(("用户", "查询用户列表"), ("用户", "删除用户"))
    body = {"group_id": group.id, "auth_ids": [1, 3]}
    response = client.put("/cms/auth/remove", json=body, headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["error_code"] == 2
    assert [p["id"] for p in response.get_json()["data"]["auth_list"]] == [5]
    assert _granted(group.id) == [5]


def test_remove_without_ids_answers_400(client, super_headers):
    group = make_group()
    body = {"group_id": group.id, "auth_ids": []}
    response = client.put("/v2/auth/remove", json=body, headers=super_headers)
    assert response.status_code == 400


def test_delete_group_permissions(client, super_headers):
    group = make_group(("用户", "查询用户列表"), ("用户", "删除用户"))
    response = client.delete(f"/v2/auth/by_group?group_id={group.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": group.id}
    assert _granted(group.id) == []


def test_delete_group_permissions_requires_group_id(client, super_headers):
    response = client.delete("/v2/auth/by_group", headers=super_headers)
    assert response.status_code == 400
