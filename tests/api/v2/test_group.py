"""Groups: /v2/group."""

from sqlalchemy import select

from app.extensions import db
from app.models import Auth, Element, Group, Route, User, group_2_element, menu
from tests.factories import auth_headers, make_group, make_staff, make_user


def _permission_ids(group_id):
    return sorted(db.session.scalars(select(Auth.permission_id).where(Auth.group_id == group_id)))


def test_list_groups_for_staff(client):
    staff = make_staff()
    other = make_group()
    response = client.get("/cms/group/all", headers=auth_headers(staff))
    assert response.status_code == 200
    items = response.get_json()["data"]["items"]
    assert [item["id"] for item in items] == [staff.group_id, other.id]
    assert set(items[0]) >= {"id", "name", "info"}


def test_get_group_detail_compat(client, super_headers):
    group = make_group(("用户", "删除用户"), ("订单", "订单发货"))
    make_user(group=group)
    response = client.get(f"/cms/group/{group.id}", headers=super_headers)
    data = response.get_json()["data"]
    assert data["name"] == group.name and data["info"] == ""
    assert data["auth_list"] == [
        {"id": 5, "name": "删除用户", "module": "用户"},
        {"id": 7, "name": "订单发货", "module": "订单"},
    ]
    assert data["user_count"] == 1


def test_get_group_missing_answers_80010(client, super_headers):
    response = client.get("/v2/group/77", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80010


def test_create_group_with_permissions(client, super_headers):
    body = {"name": "编辑", "info": "内容", "auth_ids": [38, 39]}
    response = client.post("/cms/group", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert [p["id"] for p in data["auth_list"]] == [38, 39]
    assert _permission_ids(data["id"]) == [38, 39]


def test_create_group_without_auth_ids(client, super_headers):
    response = client.post("/v2/group", json={"name": "空组"}, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["auth_list"] == [] and data["info"] == ""


def test_create_group_unknown_permission_answers_80030(client, super_headers):
    body = {"name": "坏组", "auth_ids": [1, 9999]}
    response = client.post("/v2/group", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80030
    assert db.session.scalar(select(Group).where(Group.name == "坏组")) is None


def test_create_group_duplicate_name_answers_2001(client, super_headers):
    group = make_group()
    response = client.post("/v2/group", json={"name": group.name}, headers=super_headers)
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 2001


def test_update_group_name_and_info(client, super_headers):
    group = make_group()
    body = {"name": "新名字", "info": "新说明"}
    response = client.put(f"/cms/group/{group.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    row = db.session.get(Group, group.id)
    assert (row.name, row.info) == ("新名字", "新说明")


def test_delete_group_with_grants_menus_and_elements(client, super_headers):
    group = make_group(("用户", "删除用户"))
    db.session.execute(menu.insert().values(group_id=group.id, route_id=1))
    element = Element(name="add", sign="x.add", route_id=1)
    db.session.add(element)
    db.session.flush()
    db.session.execute(group_2_element.insert().values(group_id=group.id, element_id=element.id))
    db.session.commit()
    response = client.delete(f"/cms/group/{group.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": group.id}
    assert db.session.get(Group, group.id) is None
    assert _permission_ids(group.id) == []
    assert db.session.execute(select(menu).where(menu.c.group_id == group.id)).first() is None
    assert db.session.get(Route, 1) is not None and db.session.get(Element, element.id)


def test_delete_group_with_users_answers_80020(client, super_headers):
    group = make_group()
    make_user(group=group)
    response = client.delete(f"/v2/group/{group.id}", headers=super_headers)
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 80020
    assert db.session.get(Group, group.id) is not None


def test_delete_group_of_deleted_user_succeeds(client, super_headers):
    group = make_group()
    user = make_user(group=group)
    user.soft_delete()
    db.session.commit()
    response = client.delete(f"/v2/group/{group.id}", headers=super_headers)
    assert response.status_code == 202


def test_migrate_group_moves_users(client, super_headers):
    src, dest = make_group(), make_group()
    users = [make_user(group=src), make_user(group=src)]
    body = {"src_id": src.id, "dest_id": dest.id}
    response = client.put("/v2/group/migrate", json=body, headers=super_headers)
    assert response.status_code == 201
    assert response.get_json()["data"] == {"src_id": src.id, "dest_id": dest.id, "moved": 2}
    db.session.expire_all()
    assert {db.session.get(User, u.id).group_id for u in users} == {dest.id}


def test_migrate_group_same_ids_answers_400(client, super_headers):
    group = make_group()
    body = {"src_id": group.id, "dest_id": group.id}
    response = client.put("/v2/group/migrate", json=body, headers=super_headers)
    assert response.status_code == 400


def test_migrate_group_unknown_answers_80010(client, super_headers):
    body = {"src_id": make_group().id, "dest_id": 999}
    response = client.put("/v2/group/migrate", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80010


def test_group_writes_refuse_staff(client):
    staff = make_staff()
    response = client.post("/v2/group", json={"name": "x"}, headers=auth_headers(staff))
    assert response.status_code == 403
