"""Page elements: /v2/element."""

from sqlalchemy import select

from app.extensions import db
from app.models import Element, group_2_element
from tests.factories import auth_headers, make_group, make_staff


def _element(sign, route_id=8, name="button"):
    element = Element(name=name, sign=sign, route_id=route_id)
    db.session.add(element)
    db.session.commit()
    return element


def _granted(group_id):
    rows = db.session.execute(
        select(group_2_element.c.element_id).where(group_2_element.c.group_id == group_id)
    )
    return sorted(row[0] for row in rows)


def _deploy(group, *elements):
    db.session.execute(
        group_2_element.insert(),
        [{"group_id": group.id, "element_id": e.id} for e in elements],
    )
    db.session.commit()


def test_own_signs_of_staff(client):
    staff = make_staff()
    a, _b = _element("user.delete"), _element("user.add")
    _deploy(staff.group, a)
    response = client.get("/v2/element", headers=auth_headers(staff))
    assert response.get_json()["data"] == {"items": ["user.delete"]}


def test_own_signs_of_super_admin_are_all_sorted(client, super_headers):
    _element("b.sign")
    _element("a.sign")
    response = client.get("/v2/element", headers=super_headers)
    assert response.get_json()["data"]["items"] == ["a.sign", "b.sign"]


def test_create_element(client, super_headers):
    body = {"name": "新增", "sign": "system.notice:add-1", "route_id": 28}
    response = client.post("/v2/element", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["sign"], data["route_id"]) == ("新增", "system.notice:add-1", 28)
    assert db.session.get(Element, data["id"]).sign == "system.notice:add-1"


def test_create_element_bad_sign_answers_400(client, super_headers):
    body = {"name": "x", "sign": "has space", "route_id": 28}
    assert client.post("/v2/element", json=body, headers=super_headers).status_code == 400


def test_create_element_duplicate_sign_answers_2001(client, super_headers):
    _element("dup.sign")
    body = {"name": "x", "sign": "dup.sign", "route_id": 28}
    response = client.post("/v2/element", json=body, headers=super_headers)
    assert response.status_code == 409


def test_create_element_unknown_route_answers_80040(client, super_headers):
    body = {"name": "x", "sign": "x.y", "route_id": 2}
    response = client.post("/v2/element", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80040


def test_update_element(client, super_headers):
    element = _element("old.sign")
    body = {"sign": "new.sign", "route_id": 9}
    response = client.put(f"/v2/element/{element.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    row = db.session.get(Element, element.id)
    assert (row.sign, row.route_id, row.name) == ("new.sign", 9, "button")


def test_update_element_missing_answers_80050(client, super_headers):
    response = client.put("/v2/element/404", json={"name": "x"}, headers=super_headers)
    assert response.get_json()["error_code"] == 80050


def test_list_elements_by_route(client, super_headers):
    a = _element("a.a", route_id=8)
    _element("b.b", route_id=9)
    response = client.get("/v2/element/by_route?route_id=8", headers=super_headers)
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [a.id] and data["total"] == 1
    assert (
        client.get("/v2/element/by_route", headers=super_headers).get_json()["data"]["total"] == 2
    )
    response = client.get("/v2/element/by_route?route_id=2", headers=super_headers)
    assert response.get_json()["error_code"] == 80040


def test_list_elements_by_group(client, super_headers):
    group = make_group()
    a, _b = _element("a.a"), _element("b.b")
    _deploy(group, a)
    response = client.get(f"/v2/element/by_group?group_id={group.id}", headers=super_headers)
    assert [item["sign"] for item in response.get_json()["data"]["items"]] == ["a.a"]
    response = client.get("/v2/element/by_group", headers=super_headers)
    assert response.get_json()["data"] == {"items": []}


def test_deploy_elements_replaces_grants(client, super_headers):
    group = make_group()
    a, b, c = _element("a.a"), _element("b.b"), _element("c.c")
    _deploy(group, a)
    body = {"group_id": group.id, "element_ids": [c.id, b.id, 999]}
    response = client.put("/v2/element/deploy", json=body, headers=super_headers)
    assert response.status_code == 201
    assert response.get_json()["data"] == {"group_id": group.id, "element_ids": [b.id, c.id]}
    assert _granted(group.id) == [b.id, c.id]


def test_deploy_unknown_elements_answers_80050(client, super_headers):
    group = make_group()
    a = _element("a.a")
    _deploy(group, a)
    body = {"group_id": group.id, "element_ids": [999]}
    response = client.put("/v2/element/deploy", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80050
    assert _granted(group.id) == [a.id]


def test_delete_elements_comma_list(client, super_headers):
    group = make_group()
    a, b, c = _element("a.a"), _element("b.b"), _element("c.c")
    ids = [a.id, b.id, c.id]
    _deploy(group, a, b)
    response = client.delete(f"/v2/element/{ids[0]},{ids[1]},999", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"ids": ids[:2]}
    assert sorted(db.session.scalars(select(Element.id))) == [ids[2]]
    assert _granted(group.id) == []


def test_delete_elements_none_found_answers_80050(client, super_headers):
    response = client.delete("/v2/element/998,999", headers=super_headers)
    assert response.get_json()["error_code"] == 80050


def test_delete_elements_bad_ids_answers_400(client, super_headers):
    response = client.delete("/v2/element/a,b", headers=super_headers)
    assert response.status_code == 400
