"""Config parameters: typed values, the public key route, built-in protection."""

import base64

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Config
from app.seed.system import CONFIGS
from tests.factories import auth_headers, make_config, make_staff

MODULE = "参数"


def staff_headers(*names):
    return auth_headers(make_staff(*[(MODULE, name) for name in names]))


def row(key):
    db.session.expire_all()
    return db.session.scalar(select(Config).where(Config.key == key))


# -------------------------------------------------------------- by key (public)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "undefined"}])
def test_get_config_by_key_paginator_size_is_public_integer(client, headers):
    response = client.get("/cms/config/key/sys.paginator.size", headers=headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["value"] == 10 and isinstance(data["value"], int)
    assert (data["key"], data["value_type"], data["type"], data["public"]) == (
        "sys.paginator.size",
        "int",
        True,
        True,
    )
    assert isinstance(data["create_time"], str)


def test_get_config_by_key_bad_token_is_served_as_anonymous(client):
    bad = base64.b64encode(b"garbage:$").decode()
    response = client.get(
        "/v2/config/key/sys.paginator.page", headers={"Authorization": f"Basic {bad}"}
    )
    assert response.status_code == 200
    assert response.get_json()["data"]["value"] == 1


def test_get_config_by_key_unknown_answers_84010_for_anonymous(client):
    response = client.get("/cms/config/key/no.such.key")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 84010


def _answer(response) -> tuple:
    body = response.get_json()
    return response.status_code, body["error_code"], body["msg"]


@pytest.mark.parametrize(
    "headers",
    [
        lambda: {},
        lambda: {"Authorization": "Bearer not-a-token"},
        lambda: staff_headers("新建参数配置"),
    ],
    ids=["anonymous", "bad-token", "staff-without-read"],
)
def test_get_config_by_key_private_row_answers_as_missing_key(client, headers):
    make_config(key="shop.secret.flag", value="on")
    private = client.get("/v2/config/key/shop.secret.flag", headers=headers())
    missing = client.get("/v2/config/key/shop.no.such.flag", headers=headers())
    assert _answer(private) == _answer(missing) == (404, 84010, "Config parameter not found")
    assert set(private.get_json()) == set(missing.get_json())  # no extra detail either


def test_get_config_by_key_private_row_with_permission(client):
    make_config(key="shop.secret.flag", value="on")
    response = client.get(
        "/v2/config/key/shop.secret.flag", headers=staff_headers("查询参数配置列表")
    )
    assert response.status_code == 200
    assert response.get_json()["data"]["value"] == "on"


def test_get_config_by_key_customer_token_is_forbidden(client, customer_headers):
    response = client.get("/cms/config/key/sys.paginator.size", headers=customer_headers)
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def test_get_config_by_key_malformed_key_answers_400(client, super_headers):
    response = client.get("/v2/config/key/bad key!", headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


# ----------------------------------------------------------------- list, get


def test_list_configs_orders_by_id_with_page_shape(client, super_headers):
    response = client.get("/cms/config/list?page=1&size=2", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [1, 2]
    assert (data["total"], data["current_page"]) == (len(CONFIGS), 1)
    assert data["total_page"] == -(-len(CONFIGS) // 2)
    assert data["items"][0]["value"] == "vertical"
    assert data["items"][1]["value"] == 1


def test_list_configs_keyword_matches_name_or_key(client, super_headers):
    make_config(key="shop.banner", name="横幅")
    by_key = client.get("/v2/config/list?keyword=banner", headers=super_headers).get_json()
    by_name = client.get("/v2/config/list?keyword=横幅", headers=super_headers).get_json()
    assert [i["key"] for i in by_key["data"]["items"]] == ["shop.banner"]
    assert [i["key"] for i in by_name["data"]["items"]] == ["shop.banner"]


def test_list_configs_customer_forbidden_staff_without_permission_forbidden(
    client, customer_headers
):
    assert client.get("/v2/config/list", headers=customer_headers).status_code == 403
    response = client.get("/v2/config/list", headers=staff_headers("新建参数配置"))
    assert response.status_code == 403
    assert client.get("/v2/config/list").status_code == 401


def test_list_configs_staff_with_permission(client):
    response = client.get("/v2/config/list", headers=staff_headers("查询参数配置列表"))
    assert response.status_code == 200
    assert response.get_json()["data"]["total"] == len(CONFIGS)


def test_get_config_by_id_and_unknown(client, super_headers):
    assert client.get("/v2/config/3", headers=super_headers).get_json()["data"]["value"] == 10
    response = client.get("/v2/config/999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 84010


# ---------------------------------------------------------------------- create


@pytest.mark.parametrize(
    ("value_type", "sent", "stored", "answered"),
    [
        ("str", "hello", "hello", "hello"),
        ("int", 42, "42", 42),
        ("int", "42", "42", 42),
        ("bool", True, "true", True),
        ("bool", "false", "false", False),
        ("json", {"a": [1, 2]}, '{"a":[1,2]}', {"a": [1, 2]}),
        ("json", '{"b": 1}', '{"b": 1}', {"b": 1}),
    ],
)
def test_create_config_types_value(client, super_headers, value_type, sent, stored, answered):
    body = {"name": "参数", "key": "shop.x", "value": sent, "value_type": value_type}
    response = client.post("/v2/config", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["value"] == answered
    assert (data["type"], data["public"], data["remark"]) == (False, False, "")
    saved = row("shop.x")
    assert (saved.value, saved.value_type) == (stored, value_type)


@pytest.mark.parametrize(
    ("value_type", "sent"),
    [
        ("int", "abc"),
        ("int", True),
        ("int", "1.5"),
        ("bool", "maybe"),
        ("json", "{bad"),
        ("json", "NaN"),
        ("json", "[1e400]"),
        ("int", "9" * 30),
        ("str", 5),
    ],
)
def test_create_config_value_not_of_type_answers_84030(client, super_headers, value_type, sent):
    body = {"name": "参数", "key": "shop.x", "value": sent, "value_type": value_type}
    response = client.post("/v2/config", json=body, headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 84030
    assert row("shop.x") is None


def test_create_config_duplicate_key_answers_2001(client, super_headers):
    body = {"name": "dup", "key": "sys.paginator.size", "value": "5"}
    response = client.post("/v2/config", json=body, headers=super_headers)
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 2001
    assert db.session.scalar(select(Config.name).where(Config.id == 3)) == "分页查询-默认数量"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "key": "bad key", "value": "1"},
        {"name": "x", "key": "ok.key"},
        {"name": "", "key": "ok.key", "value": "1"},
        {"name": "x", "key": "ok.key", "value": "1", "value_type": "float"},
        {"name": "x", "key": "ok.key", "value": "a" * 256},
    ],
)
def test_create_config_invalid_body_answers_400(client, super_headers, body):
    response = client.post("/v2/config", json=body, headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000
    assert row("ok.key") is None


def test_create_config_requires_permission(client):
    body = {"name": "x", "key": "ok.key", "value": "1"}
    response = client.post("/v2/config", json=body, headers=staff_headers("查询参数配置列表"))
    assert response.status_code == 403
    response = client.post("/v2/config", json=body, headers=staff_headers("新建参数配置"))
    assert response.status_code == 201
    assert row("ok.key").value == "1"


# ---------------------------------------------------------------------- update


def test_update_config_builtin_row_sent_back_whole_is_accepted(client, super_headers):
    fetched = client.get("/cms/config/3", headers=super_headers).get_json()["data"]
    fetched.update(value=20, remark="每页20条")
    response = client.put("/cms/config/3", json=fetched, headers=super_headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["value"] == 20
    saved = row("sys.paginator.size")
    assert (saved.value, saved.remark, saved.type, saved.value_type) == (
        "20",
        "每页20条",
        True,
        "int",
    )


@pytest.mark.parametrize(
    "change", [{"key": "sys.page.size"}, {"value_type": "str"}, {"type": False}]
)
def test_update_config_builtin_row_protected_fields_answer_84020(client, super_headers, change):
    response = client.put("/v2/config/3", json=change, headers=super_headers)
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 84020
    saved = row("sys.paginator.size")
    assert (saved.value_type, saved.type) == ("int", True)


def test_update_config_retype_converts_current_value(client, super_headers):
    config = make_config(key="shop.count", value="7", value_type="str")
    response = client.put(
        f"/v2/config/{config.id}", json={"value_type": "int"}, headers=super_headers
    )
    assert response.get_json()["data"]["value"] == 7
    config = make_config(key="shop.word", value="seven", value_type="str")
    response = client.put(
        f"/v2/config/{config.id}", json={"value_type": "int"}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 84030
    assert row("shop.word").value_type == "str"


def test_update_config_rekey_to_existing_answers_2001(client, super_headers):
    config = make_config(key="shop.a")
    response = client.put(
        f"/v2/config/{config.id}", json={"key": "sys.layout.theme"}, headers=super_headers
    )
    assert response.status_code == 409
    assert row("shop.a") is not None


def test_update_config_ignores_unknown_fields(client, super_headers):
    config = make_config(key="shop.a", value="x")
    body = {"id": 999, "create_time": "2020-01-01 00:00:00", "name": "new name"}
    response = client.put(f"/v2/config/{config.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    saved = row("shop.a")
    assert (saved.id, saved.name) == (config.id, "new name")


def test_update_config_unknown_answers_84010(client, super_headers):
    response = client.put("/v2/config/999", json={"name": "x"}, headers=super_headers)
    assert response.get_json()["error_code"] == 84010


def test_update_config_value_by_key_saves(client, super_headers):
    response = client.put(
        "/v2/config/key/sys.paginator.size", json={"value": "15"}, headers=super_headers
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["value"] == 15
    assert row("sys.paginator.size").value == "15"
    public = client.get("/cms/config/key/sys.paginator.size").get_json()["data"]
    assert public["value"] == 15


def test_update_config_value_by_key_errors(client, super_headers):
    bad = client.put(
        "/v2/config/key/sys.paginator.size", json={"value": "x"}, headers=super_headers
    )
    assert (bad.status_code, bad.get_json()["error_code"]) == (400, 84030)
    missing = client.put("/v2/config/key/sys.paginator.size", json={}, headers=super_headers)
    assert (missing.status_code, missing.get_json()["error_code"]) == (400, 1000)
    unknown = client.put("/v2/config/key/nope", json={"value": "1"}, headers=super_headers)
    assert (unknown.status_code, unknown.get_json()["error_code"]) == (404, 84010)
    assert row("sys.paginator.size").value == "10"


def test_update_config_value_by_key_requires_permission(client):
    headers = staff_headers("查询参数配置列表")
    response = client.put("/v2/config/key/sys.paginator.size", json={"value": 5}, headers=headers)
    assert response.status_code == 403
    assert row("sys.paginator.size").value == "10"


# ---------------------------------------------------------------------- delete


def test_delete_config_removes_row(client, super_headers):
    config = make_config(key="shop.a")
    response = client.delete(f"/cms/config/{config.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": config.id}
    assert row("shop.a") is None


def test_delete_config_builtin_answers_84020(client, super_headers):
    response = client.delete("/v2/config/3", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (403, 84020)
    assert row("sys.paginator.size") is not None


def test_delete_config_unknown_and_permission(client, super_headers):
    assert client.delete("/v2/config/999", headers=super_headers).get_json()["error_code"] == 84010
    config = make_config(key="shop.a")
    response = client.delete(f"/v2/config/{config.id}", headers=staff_headers("更新参数配置"))
    assert response.status_code == 403
    assert row("shop.a") is not None
