"""The operation log hook: one row per admin write, redacted, never failing the request."""

import json
from unittest import mock

from sqlalchemy import select

from app.extensions import db
from app.models import Group, OperLog
from app.services import oper_log
from tests.factories import auth_headers, make_group, make_staff


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(OperLog).order_by(OperLog.id)).all()


def test_permission_route_row_has_module_auth_and_path_ids(client, customer):
    staff = make_staff(("用户", "更新用户分组"), nickname="Operator")
    group = make_group()
    response = client.put(
        f"/cms/user/{customer.id}", json={"group_id": group.id}, headers=auth_headers(staff)
    )
    assert response.status_code == 201
    (row,) = _rows()
    assert (row.user_id, row.user_name) == (staff.id, "Operator")
    assert (row.module, row.auth, row.type) == ("用户", "更新用户分组", 2)
    assert row.message == f"更新用户分组 uid={customer.id}"
    assert (row.request_method, row.status_code) == ("PUT", 201)
    assert row.path == f"/cms/user/{customer.id}" and row.endpoint == "cms.user.update_user"
    assert row.request_param == {
        "path": {"uid": customer.id},
        "query": {},
        "body": {"group_id": group.id},
    }
    assert row.ip_addr == "127.0.0.1"


def test_super_route_row_uses_docstring_and_redacts_secrets(client, super_headers, customer):
    body = {"new_password": "brand-new-pass", "confirm_password": "brand-new-pass"}
    staff = make_staff()
    client.put(f"/v2/admin/password/{staff.id}", json=body, headers=super_headers)
    (row,) = _rows()
    assert (row.module, row.auth, row.type) == ("", "", 7)
    assert row.message.startswith("Set a new password") and row.message.endswith(f"uid={staff.id}")
    assert row.request_param["body"] == {"new_password": "***", "confirm_password": "***"}


def test_failed_write_is_logged_with_its_status(client, super_headers):
    response = client.delete("/v2/group/999", headers=super_headers)
    assert response.status_code == 404
    (row,) = _rows()
    assert (row.status_code, row.type, row.request_method) == (404, 3, "DELETE")


def test_customer_refused_with_403_writes_no_row(client, customer_headers):
    # oper_log records staff writes: a customer (or anyone with a token) cannot grow it
    big = {"name": "x", "pad": "y" * 50_000}
    assert client.post("/v2/group", json=big, headers=customer_headers).status_code == 403
    assert client.put("/v2/user/1", json=big, headers=customer_headers).status_code == 403
    assert client.put("/cms/user/1", json=big, headers=customer_headers).status_code == 403
    assert _rows() == []


def test_staff_refused_with_403_is_logged(client, customer):
    staff = make_staff(("用户", "更新用户分组"))
    response = client.post("/v2/group", json={"name": "x"}, headers=auth_headers(staff))
    assert response.status_code == 403
    (row,) = _rows()
    assert (row.user_id, row.status_code, row.type) == (staff.id, 403, 1)


def test_logged_params_are_a_bounded_excerpt(client, super_headers):
    body = {"name": "新组", "password": "p" * 30_000}
    body.update({f"k{n}": "v" * 400 for n in range(500)})
    client.post("/v2/group", json=body, headers=super_headers)
    (row,) = _rows()
    stored = json.dumps(row.request_param, ensure_ascii=False).encode()
    assert len(stored) <= 4096 + 256
    assert "p" * 100 not in stored.decode()  # redacted before it was cut
    assert row.request_param["body"]["truncated"] is True
    assert row.request_param["body"]["excerpt"].startswith('{"name": "新组"')


def test_no_row_for_401_or_reads(client, super_headers):
    assert client.post("/v2/group", json={"name": "x"}).status_code == 401
    assert client.get("/v2/group/all", headers=super_headers).status_code == 200
    assert _rows() == []


def test_grant_and_clear_types(client, super_headers):
    group = make_group()
    client.put(
        "/v2/auth/append", json={"group_id": group.id, "auth_ids": [1]}, headers=super_headers
    )
    client.put("/v2/menu", json={"group_id": group.id, "routes": []}, headers=super_headers)
    client.delete("/v2/log/error/all", headers=super_headers)
    assert [row.type for row in _rows()] == [4, 4, 9]


def test_write_failure_never_fails_the_request(client, super_headers):
    with mock.patch.object(oper_log, "redacted_params", side_effect=RuntimeError("down")):
        response = client.post("/v2/group", json={"name": "新组"}, headers=super_headers)
    assert response.status_code == 201
    assert _rows() == []


def test_failed_view_changes_are_not_committed_by_the_log(client, super_headers):
    response = client.post(
        "/v2/group", json={"name": "坏", "auth_ids": [999]}, headers=super_headers
    )
    assert response.status_code == 404
    assert db.session.scalar(select(Group).where(Group.name == "坏")) is None
    assert [row.status_code for row in _rows()] == [404]


def test_operation_type_by_endpoint():
    assert oper_log.operation_type("PUT", "v2.user.disable_user") == oper_log.FORCE_LOGOUT
    assert oper_log.operation_type("PUT", "cms.element.deploy_elements") == oper_log.GRANT
    assert oper_log.operation_type("DELETE", "v2.log.clear_oper_logs") == oper_log.CLEAR
    assert oper_log.operation_type("POST", "v2.product.create_product") == oper_log.CREATE
    assert oper_log.operation_type("PATCH", "v2.x.y") == oper_log.OTHER


def test_typed_endpoints_exist(app):
    endpoints = {
        rule.endpoint.split(".", 1)[1]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("v2.")
    }
    assert set(oper_log.TYPE_BY_ENDPOINT) <= endpoints


def test_array_body_is_logged(client, super_headers):
    body = [{"id": 1, "children": [{"id": 3}]}]
    assert client.put("/v2/route/tree", json=body, headers=super_headers).status_code == 201
    (row,) = _rows()
    assert row.request_param["body"] == body and row.type == 2
