"""Users: /v2/user (permission routes of module 用户)."""

from app.extensions import db
from app.models import User
from tests.factories import auth_headers, make_group, make_staff, make_user

READ = ("用户", "查询用户列表")
GROUP = ("用户", "更新用户分组")
STATUS = ("用户", "更改用户状态")
PASSWORD = ("用户", "更改用户密码")
DELETE = ("用户", "删除用户")


def _reload(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id, execution_options={"include_deleted": True})


def test_list_users_leaves_out_super_admins(client, super_admin, super_headers, customer):
    staff = make_staff()
    response = client.get("/cms/user/list?page=1&size=10", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [customer.id, staff.id]
    item = data["items"][0]
    for key in ("id", "nickname", "username", "auth_scope", "mobile", "email"):
        assert key in item


def test_list_users_keyword_and_group(client, super_headers, customer):
    group = make_group()
    member = make_user(nickname="Findme", group=group)
    response = client.get("/v2/user/list?keyword=indm", headers=super_headers)
    assert [item["id"] for item in response.get_json()["data"]["items"]] == [member.id]
    response = client.get(f"/v2/user/list?group_id={group.id}", headers=super_headers)
    assert [item["id"] for item in response.get_json()["data"]["items"]] == [member.id]


def test_list_users_keyword_wildcards_are_literal(client, super_headers, customer):
    response = client.get("/v2/user/list?keyword=%25", headers=super_headers)
    assert response.get_json()["data"]["total"] == 0


def test_list_users_with_permission(client, customer):
    staff = make_staff(READ)
    response = client.get("/v2/user/list", headers=auth_headers(staff))
    assert response.status_code == 200


def test_get_user_compat_fields(client, super_headers):
    group = make_group()
    user = make_user(group=group, nickname="Someone")
    response = client.get(f"/cms/user/{user.id}", headers=super_headers)
    data = response.get_json()["data"]
    assert (data["nickname"], data["group_id"], data["auth_scope"]) == (
        "Someone",
        group.id,
        group.name,
    )
    assert "password_hash" not in data and "token_version" not in data


def test_update_user_sets_group_compat(client, super_headers, customer):
    group = make_group()
    response = client.put(
        f"/cms/user/{customer.id}", json={"group_id": group.id}, headers=super_headers
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["group_id"] == group.id
    assert _reload(customer.id).group_id == group.id


def test_update_user_group_zero_makes_customer(client, super_headers):
    user = make_staff()
    response = client.put(f"/v2/user/{user.id}/group", json={"group_id": 0}, headers=super_headers)
    assert response.status_code == 201
    assert _reload(user.id).group_id is None
    response = client.put(
        f"/v2/user/{user.id}/group", json={"group_id": None}, headers=super_headers
    )
    assert response.status_code == 201


def test_update_user_group_unknown_answers_80010(client, super_headers, customer):
    response = client.put(
        f"/v2/user/{customer.id}/group", json={"group_id": 99}, headers=super_headers
    )
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80010


def test_update_own_group_answers_20030(client):
    staff = make_staff(GROUP)
    response = client.put(
        f"/v2/user/{staff.id}/group", json={"group_id": 0}, headers=auth_headers(staff)
    )
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20030
    assert _reload(staff.id).group_id is not None


def test_update_super_admin_group_answers_20030(client):
    target = make_user(auth=2)
    staff = make_staff(GROUP)
    response = client.put(
        f"/v2/user/{target.id}/group", json={"group_id": 0}, headers=auth_headers(staff)
    )
    assert response.get_json()["error_code"] == 20030


def test_reset_user_password_bumps_token_version(client, customer, customer_headers):
    staff = make_staff(PASSWORD)
    body = {"new_password": "another-secret", "confirm_password": "another-secret"}
    response = client.put(
        f"/v2/user/{customer.id}/password", json=body, headers=auth_headers(staff)
    )
    assert response.status_code == 201
    user = _reload(customer.id)
    assert user.check_password("another-secret") and user.token_version == 1
    assert client.get("/v1/user", headers=customer_headers).status_code == 401


def test_reset_user_password_short_answers_400(client, super_headers, customer):
    body = {"new_password": "short", "confirm_password": "short"}
    response = client.put(f"/v2/user/{customer.id}/password", json=body, headers=super_headers)
    assert response.status_code == 400
    assert _reload(customer.id).token_version == 0


def test_disable_and_activate_user(client, customer, customer_headers):
    staff = make_staff(STATUS)
    response = client.put(f"/v2/user/{customer.id}/disable", headers=auth_headers(staff))
    assert response.status_code == 201 and response.get_json()["data"]["active"] is False
    assert _reload(customer.id).active is False
    assert client.get("/v1/user", headers=customer_headers).status_code == 401
    response = client.put(f"/v2/user/{customer.id}/active", headers=auth_headers(staff))
    assert response.get_json()["data"]["active"] is True
    assert _reload(customer.id).active is True


def test_disable_user_missing_answers_20010(client, super_headers):
    response = client.put("/v2/user/4242/disable", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 20010


def test_delete_user_soft_deletes(client, customer):
    staff = make_staff(DELETE)
    response = client.delete(f"/v2/user/{customer.id}", headers=auth_headers(staff))
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": customer.id}
    user = _reload(customer.id)
    assert user.delete_time is not None and user.email is None and user.token_version == 1
    response = client.get(f"/v2/user/{customer.id}", headers=auth_headers(make_staff(READ)))
    assert response.status_code == 404


def test_delete_super_admin_answers_20030(client, super_admin):
    staff = make_staff(DELETE)
    response = client.delete(f"/v2/user/{super_admin.id}", headers=auth_headers(staff))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20030
    assert _reload(super_admin.id).delete_time is None


def test_user_routes_without_permission_answer_403(client, customer):
    staff = make_staff(READ)
    response = client.delete(f"/v2/user/{customer.id}", headers=auth_headers(staff))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def test_get_user_huge_id_answers_20010(client, super_headers):
    response = client.get("/v2/user/99999999999999999999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 20010


# ------------------------------------------------------------- no escalation (v2.md section 4)


def _all_permissions_group():
    from app.core.permissions import CATALOGUE

    return make_group(*CATALOGUE, name="全部权限")


def test_group_permission_alone_cannot_move_a_second_account_into_all_permissions(client):
    staff = make_staff(GROUP)
    second_account = make_user(nickname="Mine too")
    everything = _all_permissions_group()
    for path in (f"/v2/user/{second_account.id}/group", f"/cms/user/{second_account.id}"):
        response = client.put(path, json={"group_id": everything.id}, headers=auth_headers(staff))
        assert response.status_code == 403
        assert response.get_json()["error_code"] == 20030
    assert _reload(second_account.id).group_id is None
    response = client.get("/v2/order/list", headers=auth_headers(second_account))
    assert response.status_code == 403


def test_group_permission_moves_a_customer_into_a_group_within_its_own(client, customer):
    staff = make_staff(GROUP)
    response = client.put(
        f"/v2/user/{customer.id}/group",
        json={"group_id": staff.group_id},
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    assert _reload(customer.id).group_id == staff.group_id


def test_group_permission_cannot_demote_a_stronger_staff_member(client):
    staff = make_staff(GROUP)
    stronger = make_staff(GROUP, DELETE)
    response = client.put(
        f"/v2/user/{stronger.id}/group", json={"group_id": 0}, headers=auth_headers(staff)
    )
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20030
    assert _reload(stronger.id).group_id == stronger.group_id


def test_password_permission_alone_cannot_take_over_a_stronger_staff_account(client):
    staff = make_staff(PASSWORD)
    victim = make_staff(PASSWORD, ("订单", "订单退款"))
    victim_headers = auth_headers(victim)
    body = {"new_password": "taken-over-123", "confirm_password": "taken-over-123"}
    for path in (f"/v2/user/{victim.id}/password", f"/cms/user/{victim.id}/password"):
        response = client.put(path, json=body, headers=auth_headers(staff))
        assert response.status_code == 403
        assert response.get_json()["error_code"] == 20030
    user = _reload(victim.id)
    assert not user.check_password("taken-over-123") and user.token_version == 0
    login = client.post(
        "/v1/token", json={"account": victim.email, "secret": "taken-over-123", "type": 101}
    )
    assert login.status_code == 401
    assert client.get("/v2/group/all", headers=victim_headers).status_code == 200
