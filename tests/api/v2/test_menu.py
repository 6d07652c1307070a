"""Group menus: /v2/menu."""

from sqlalchemy import select

from app.extensions import db
from app.models import User, menu
from tests.api.v2.test_route import seed_tree
from tests.factories import auth_headers, make_group, make_staff


def _menu_ids(group_id):
    rows = db.session.execute(select(menu.c.route_id).where(menu.c.group_id == group_id))
    return sorted(row[0] for row in rows)


def _grant(group, *route_ids):
    db.session.execute(menu.insert(), [{"group_id": group.id, "route_id": r} for r in route_ids])
    db.session.commit()


def test_demo_super_admin_menu_and_tree_match_seed(client, demo):
    headers = auth_headers(db.session.get(User, 1))
    menu_tree = client.get("/cms/menu", headers=headers).get_json()["data"]
    route_tree = client.get("/cms/route/tree", headers=headers).get_json()["data"]
    assert menu_tree == seed_tree()
    assert route_tree == seed_tree()


def test_demo_group_menu_compat(client, demo):
    headers = auth_headers(db.session.get(User, 1))
    response = client.get("/cms/menu?group_id=2", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["data"] == seed_tree({1, 3, 11, 12, 31, 32, 33, 34})


def test_demo_staff_own_menu(client, demo):
    headers = auth_headers(db.session.get(User, 3))  # group 2
    response = client.get("/cms/menu", headers=headers)
    assert response.get_json()["data"] == seed_tree({1, 3, 11, 12, 31, 32, 33, 34})


def test_group_menu_adds_ancestors(client, super_headers):
    group = make_group()
    _grant(group, 27)
    tree = client.get(f"/v2/menu?group_id={group.id}", headers=super_headers).get_json()["data"]
    assert tree == seed_tree({7, 25, 27})


def test_group_menu_empty_is_list(client, super_headers):
    group = make_group()
    response = client.get(f"/cms/menu?group_id={group.id}", headers=super_headers)
    assert response.get_json()["data"] == []


def test_group_menu_unknown_group_answers_80010(client, super_headers):
    response = client.get("/v2/menu?group_id=99", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80010


def test_group_menu_of_other_group_refuses_staff(client):
    staff = make_staff()
    response = client.get(f"/v2/menu?group_id={staff.group_id}", headers=auth_headers(staff))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def test_own_menu_of_staff_without_rows_is_empty(client):
    response = client.get("/v2/menu", headers=auth_headers(make_staff()))
    assert response.get_json()["data"] == []


def test_update_menu_walks_nested_nodes(client, super_headers):
    group = make_group()
    _grant(group, 1, 3)
    routes = [
        {
            "id": 7,
            "title": "系统管理",
            "meta": {"title": "x"},
            "children": [{"id": 8, "children": []}, {"id": 25, "children": [{"id": 27}]}],
        },
        {"id": 0, "children": [{"id": 12}]},
    ]
    body = {"group_id": group.id, "routes": routes}
    response = client.put("/cms/menu", json=body, headers=super_headers)
    assert response.status_code == 201
    assert _menu_ids(group.id) == [7, 8, 12, 25, 27]
    assert response.get_json()["data"] == seed_tree({7, 8, 11, 12, 25, 27})


def test_update_menu_empty_clears(client, super_headers):
    group = make_group()
    _grant(group, 1, 3)
    response = client.put(
        "/v2/menu", json={"group_id": group.id, "routes": []}, headers=super_headers
    )
    assert response.status_code == 201
    assert response.get_json()["data"] == []
    assert _menu_ids(group.id) == []


def test_update_menu_unknown_routes_answers_80040(client, super_headers):
    group = make_group()
    _grant(group, 1)
    body = {"group_id": group.id, "routes": [{"id": 2}]}
    response = client.put("/v2/menu", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80040
    assert _menu_ids(group.id) == [1]


def test_update_menu_routes_not_a_list_answers_400(client, super_headers):
    group = make_group()
    body = {"group_id": group.id, "routes": {"id": 1}}
    response = client.put("/v2/menu", json=body, headers=super_headers)
    assert response.status_code == 400


def test_update_menu_unknown_group_answers_80010(client, super_headers):
    response = client.put("/v2/menu", json={"group_id": 99, "routes": []}, headers=super_headers)
    assert response.get_json()["error_code"] == 80010


def test_update_menu_huge_id_answers_80040(client, super_headers):
    group = make_group()
    body = {"group_id": group.id, "routes": [{"id": 10**20}]}
    response = client.put("/v2/menu", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80040
