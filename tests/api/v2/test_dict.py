"""Dictionary types and entries."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Dict, DictType
from tests.factories import auth_headers, make_dict, make_dict_type, make_staff


def staff_headers(*pairs):
    return auth_headers(make_staff(*pairs))


def entries_of(kind):
    db.session.expire_all()
    return db.session.scalars(select(Dict).where(Dict.type == kind).order_by(Dict.order)).all()


# ----------------------------------------------------------------------- types


def test_list_dict_types_orders_by_id_with_compat_fields(client, super_headers):
    response = client.get("/cms/dict/type/list?page=1&size=3", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [1, 2, 3]
    assert (data["total"], data["current_page"], data["total_page"]) == (10, 1, 4)
    first = data["items"][0]
    assert (first["name"], first["type"], first["status"], first["remark"]) == (
        "用户性别",
        "sys_user_sex",
        True,
        "用户性别列表",
    )


def test_list_dict_types_keyword(client, super_headers):
    response = client.get("/v2/dict/type/list?keyword=notice", headers=super_headers)
    assert [i["type"] for i in response.get_json()["data"]["items"]] == [
        "sys_notice_type",
        "sys_notice_status",
    ]


def test_list_dict_types_permissions(client, customer_headers):
    assert client.get("/v2/dict/type/list", headers=customer_headers).status_code == 403
    denied = staff_headers(("字典数据", "查询字典数据列表"))
    assert client.get("/v2/dict/type/list", headers=denied).status_code == 403
    allowed = staff_headers(("字典类型", "查询字典类型列表"))
    assert client.get("/v2/dict/type/list", headers=allowed).status_code == 200


def test_get_dict_type_and_unknown(client, super_headers):
    assert client.get("/cms/dict/type/7", headers=super_headers).get_json()["data"]["type"] == (
        "sys_notice_type"
    )
    response = client.get("/cms/dict/type/999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 83010)


def test_create_dict_type_saves_with_defaults(client, super_headers):
    body = {"name": "颜色", "type": "shop_color"}
    response = client.post("/cms/dict/type", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["type"], data["status"], data["remark"]) == (
        "颜色",
        "shop_color",
        True,
        "",
    )
    saved = db.session.scalar(select(DictType).where(DictType.type == "shop_color"))
    assert saved.id == data["id"]


def test_create_dict_type_duplicate_answers_2001(client, super_headers):
    body = {"name": "again", "type": "sys_user_sex"}
    response = client.post("/v2/dict/type", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    count = db.session.scalar(select(func.count()).where(DictType.type == "sys_user_sex"))
    assert count == 1


@pytest.mark.parametrize(
    "body",
    [{"name": "x", "type": "Has-Caps"}, {"name": "x"}, {"name": "", "type": "ok"}, {"type": "ok"}],
)
def test_create_dict_type_invalid_answers_400(client, super_headers, body):
    response = client.post("/v2/dict/type", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_update_dict_type_renames_entries(client, super_headers):
    kind = make_dict_type(type="shop_size")
    make_dict(kind, value="S")
    make_dict(kind, value="M")
    body = {"name": "尺码", "remark": "r", "status": False, "type": "shop_sizes", "extra": 1}
    response = client.put(f"/cms/dict/type/{kind.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["type"], data["name"], data["status"]) == ("shop_sizes", "尺码", False)
    assert entries_of("shop_size") == []
    assert {entry.value for entry in entries_of("shop_sizes")} == {"S", "M"}


def test_update_dict_type_partial_keeps_status(client, super_headers):
    kind = make_dict_type(type="shop_size", status=False)
    response = client.put(f"/v2/dict/type/{kind.id}", json={"name": "n"}, headers=super_headers)
    assert response.get_json()["data"]["status"] is False
    db.session.expire_all()
    assert db.session.get(DictType, kind.id).name == "n"


def test_update_dict_type_to_existing_type_answers_2001(client, super_headers):
    kind = make_dict_type(type="shop_size")
    make_dict(kind, value="S")
    response = client.put(
        f"/v2/dict/type/{kind.id}", json={"type": "sys_yes_no"}, headers=super_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    assert len(entries_of("shop_size")) == 1
    assert len(entries_of("sys_yes_no")) == 2


def test_update_dict_type_unknown_answers_83010(client, super_headers):
    response = client.put("/v2/dict/type/999", json={"name": "x"}, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 83010)


def test_delete_dict_type_deletes_entries(client, super_headers):
    response = client.delete("/cms/dict/type/1", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": 1}
    assert db.session.get(DictType, 1) is None
    assert entries_of("sys_user_sex") == []
    assert len(entries_of("sys_show_hide")) == 2


def test_delete_dict_type_unknown_and_permission(client, super_headers):
    response = client.delete("/v2/dict/type/999", headers=super_headers)
    assert response.get_json()["error_code"] == 83010
    headers = staff_headers(("字典类型", "更新字典类型"))
    assert client.delete("/v2/dict/type/1", headers=headers).status_code == 403
    assert len(entries_of("sys_user_sex")) == 2


# --------------------------------------------------------------------- entries


def test_list_dicts_by_type_orders_by_order(client, super_headers):
    response = client.get("/cms/dict/list?type=sys_yes_no&page=1&size=10", headers=super_headers)
    data = response.get_json()["data"]
    assert data["total"] == 2
    assert [(i["label"], i["value"], i["order"], i["list_class"]) for i in data["items"]] == [
        ("是", "Y", 1, "primary"),
        ("否", "N", 2, "danger"),
    ]
    assert set(data["items"][0]) >= {"id", "status", "remark", "css_class", "is_default"}


def test_list_dicts_without_type_lists_all_by_type_order_id(client, super_headers):
    data = client.get("/v2/dict/list?size=100", headers=super_headers).get_json()["data"]
    assert data["total"] == 28
    keys = [(i["type"], i["order"], i["id"]) for i in data["items"]]
    assert keys == sorted(keys)


def test_list_all_dicts_unpaginated(client, super_headers):
    response = client.get("/v2/dict/all?type=sys_oper_type", headers=super_headers)
    items = response.get_json()["data"]["items"]
    assert [i["value"] for i in items] == [str(n) for n in range(10)]


def test_list_dicts_permission(client):
    headers = staff_headers(("字典类型", "查询字典类型列表"))
    assert client.get("/v2/dict/list", headers=headers).status_code == 403
    headers = staff_headers(("字典数据", "查询字典数据列表"))
    assert client.get("/v2/dict/list", headers=headers).status_code == 200


def test_get_dict_and_unknown(client, super_headers):
    entry = entries_of("sys_user_sex")[0]
    data = client.get(f"/v2/dict/{entry.id}", headers=super_headers).get_json()["data"]
    assert (data["label"], data["value"], data["is_default"]) == ("男", "0", True)
    response = client.get("/v2/dict/99999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 83020)


def test_create_dict_saves_with_defaults(client, super_headers):
    body = {"type": "sys_user_sex", "label": "未知", "value": "2"}
    response = client.post("/cms/dict", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["order"], data["css_class"], data["list_class"], data["is_default"]) == (
        0,
        "",
        "",
        False,
    )
    assert data["status"] is True
    assert [e.value for e in entries_of("sys_user_sex")] == ["2", "0", "1"]


def test_create_dict_unknown_type_answers_83010(client, super_headers):
    body = {"type": "no_such_type", "label": "x", "value": "1"}
    response = client.post("/v2/dict", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 83010)
    assert entries_of("no_such_type") == []


def test_create_dict_duplicate_value_answers_2001(client, super_headers):
    body = {"type": "sys_user_sex", "label": "x", "value": "0"}
    response = client.post("/v2/dict", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    assert len(entries_of("sys_user_sex")) == 2


@pytest.mark.parametrize(
    "change",
    [{"list_class": "pink"}, {"order": -1}, {"label": ""}, {"value": "x" * 65}, {"status": "yes"}],
)
def test_create_dict_invalid_answers_400(client, super_headers, change):
    body = {"type": "sys_user_sex", "label": "x", "value": "9", **change}
    response = client.post("/v2/dict", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert len(entries_of("sys_user_sex")) == 2


def test_update_dict_whole_row_as_received(client, super_headers):
    entry = entries_of("sys_user_sex")[1]
    row = client.get(f"/cms/dict/{entry.id}", headers=super_headers).get_json()["data"]
    row.update(label="女性", list_class="success", remark="改")
    response = client.put(f"/cms/dict/{entry.id}", json=row, headers=super_headers)
    assert response.status_code == 201
    saved = entries_of("sys_user_sex")[1]
    assert (saved.label, saved.list_class, saved.remark, saved.value) == (
        "女性",
        "success",
        "改",
        "1",
    )


def test_update_dict_errors(client, super_headers):
    first, second = entries_of("sys_user_sex")
    duplicate = client.put(f"/v2/dict/{second.id}", json={"value": "0"}, headers=super_headers)
    assert (duplicate.status_code, duplicate.get_json()["error_code"]) == (409, 2001)
    bad_type = client.put(f"/v2/dict/{second.id}", json={"type": "nope"}, headers=super_headers)
    assert (bad_type.status_code, bad_type.get_json()["error_code"]) == (404, 83010)
    unknown = client.put("/v2/dict/99999", json={"label": "x"}, headers=super_headers)
    assert (unknown.status_code, unknown.get_json()["error_code"]) == (404, 83020)
    assert [e.value for e in entries_of("sys_user_sex")] == ["0", "1"]


def test_update_dict_moves_to_other_type(client, super_headers):
    second = entries_of("sys_user_sex")[1]
    response = client.put(
        f"/v2/dict/{second.id}", json={"type": "sys_yes_no", "value": "M"}, headers=super_headers
    )
    assert response.status_code == 201
    assert {e.value for e in entries_of("sys_yes_no")} == {"Y", "N", "M"}
    assert [e.value for e in entries_of("sys_user_sex")] == ["0"]


def test_delete_dict_and_unknown(client, super_headers):
    entry = entries_of("sys_user_sex")[0]
    response = client.delete(f"/cms/dict/{entry.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": entry.id}
    assert [e.value for e in entries_of("sys_user_sex")] == ["1"]
    assert client.delete("/v2/dict/99999", headers=super_headers).get_json()["error_code"] == 83020


def test_write_dicts_customer_forbidden(client, customer_headers):
    body = {"type": "sys_user_sex", "label": "x", "value": "9"}
    response = client.post("/v2/dict", json=body, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (403, 1004)
    assert len(entries_of("sys_user_sex")) == 2
