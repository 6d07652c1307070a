"""Admins: /v2/admin (super admin only)."""

from app.extensions import db
from app.models import RefreshToken, User
from app.models.base import now
from tests.factories import PASSWORD, auth_headers, make_group, make_staff, make_user


def _refresh_token(user):
    row = RefreshToken(
        user_id=user.id,
        family_id="f" * 32,
        token_hash=f"{user.id:064d}",
        client_type=101,
        token_version=user.token_version,
        expires_at=now() + 3600,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def _admin_body(**fields):
    """A valid create-admin body with `fields` changed (None leaves a field out)."""
    body = {
        "nickname": "Ops",
        "email": "ops@example.com",
        "password": "long-password-1",
        "confirm_password": "long-password-1",
        **fields,
    }
    return {key: value for key, value in body.items() if value is not None}


def test_list_admins_only_staff_by_id(client, super_headers, customer):
    group = make_group()
    first = make_user(group=group)
    second = make_staff()
    response = client.get("/v2/admin/list", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [first.id, second.id]
    assert data["total"] == 2
    item = data["items"][0]
    assert item["auth_scope"] == group.name and item["group_id"] == group.id
    assert item["create_time"].count(":") == 2  # formatted on /v2


def test_list_admins_by_group(client, super_headers):
    group = make_group()
    member = make_user(group=group)
    make_staff()
    response = client.get(f"/cms/admin/list?group_id={group.id}", headers=super_headers)
    assert [item["id"] for item in response.get_json()["data"]["items"]] == [member.id]


def test_get_admin_missing_answers_20010(client, super_headers):
    response = client.get("/v2/admin/9999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 20010


def test_create_admin_in_group(client, super_headers):
    group = make_group()
    body = _admin_body(email="Ops@Example.com", group_id=group.id, auth=2)
    response = client.post("/v2/admin", json=body, headers=super_headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["email"] == "ops@example.com" and data["auth"] == 1
    user = db.session.get(User, data["id"])
    assert user.group_id == group.id and user.auth == 1
    assert user.check_password("long-password-1")


def test_create_admin_unknown_group_answers_80010(client, super_headers):
    body = _admin_body(group_id=999)
    response = client.post("/v2/admin", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80010


def test_create_admin_duplicate_email_answers_2001(client, super_headers, customer):
    body = _admin_body(email=customer.email.upper(), group_id=make_group().id)
    response = client.post("/v2/admin", json=body, headers=super_headers)
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 2001


def test_create_admin_without_login_method_answers_400(client, super_headers):
    body = _admin_body(email=None, group_id=make_group().id)
    response = client.post("/v2/admin", json=body, headers=super_headers)
    assert response.status_code == 400
    assert "username" in response.get_json()["errors"]


def test_create_admin_password_mismatch_answers_400(client, super_headers):
    body = _admin_body(confirm_password="long-password-2", group_id=make_group().id)
    response = client.post("/v2/admin", json=body, headers=super_headers)
    assert response.status_code == 400
    assert db.session.query(User).filter_by(email="ops@example.com").count() == 0


def test_update_admin_changes_listed_fields(client, super_headers):
    admin = make_staff()
    other = make_group()
    body = {"nickname": "New", "mobile": "13912345678", "group_id": other.id, "auth": 2}
    response = client.put(f"/v2/admin/{admin.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    user = db.session.get(User, admin.id)
    assert (user.nickname, user.mobile, user.group_id, user.auth) == (
        "New",
        "13912345678",
        other.id,
        1,
    )


def test_update_admin_removing_last_login_method_answers_11010(client, super_headers):
    admin = make_staff()
    response = client.put(f"/v2/admin/{admin.id}", json={"email": None}, headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 11010


def test_update_other_super_admin_answers_20030(client, super_headers):
    other = make_user(auth=2)
    response = client.put(f"/v2/admin/{other.id}", json={"nickname": "x"}, headers=super_headers)
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20030


def test_reset_admin_password_revokes_tokens(client, super_headers):
    admin = make_staff()
    old_headers = auth_headers(admin)
    token_id = _refresh_token(admin)
    body = {"new_password": "brand-new-pass", "confirm_password": "brand-new-pass"}
    response = client.put(f"/v2/admin/password/{admin.id}", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    user = db.session.get(User, admin.id)
    assert user.check_password("brand-new-pass") and not user.check_password(PASSWORD)
    assert user.token_version == 1
    assert db.session.get(RefreshToken, token_id).revoked_at is not None
    assert client.get("/v2/group/all", headers=old_headers).status_code == 401


def test_reset_own_password_answers_20030(client, super_admin, super_headers):
    body = {"new_password": "brand-new-pass", "confirm_password": "brand-new-pass"}
    response = client.put(f"/v2/admin/password/{super_admin.id}", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 20030


def test_disable_then_activate_admin(client, super_headers):
    admin = make_staff()
    response = client.put(f"/v2/admin/disable/{admin.id}", headers=super_headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["active"] is False
    db.session.expire_all()
    assert db.session.get(User, admin.id).token_version == 1
    response = client.put(f"/v2/admin/active/{admin.id}", headers=super_headers)
    assert response.get_json()["data"]["active"] is True
    db.session.expire_all()
    assert db.session.get(User, admin.id).active is True


def test_disable_self_answers_20030(client, super_admin, super_headers):
    response = client.put(f"/v2/admin/disable/{super_admin.id}", headers=super_headers)
    assert response.get_json()["error_code"] == 20030
    db.session.expire_all()
    assert db.session.get(User, super_admin.id).active is True


def test_delete_admin_soft_deletes(client, super_headers):
    admin = make_staff(username="opsuser")
    response = client.delete(f"/v2/admin/{admin.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json() == {"error_code": 2, "msg": "Deleted", "data": {"id": admin.id}}
    db.session.expire_all()
    row = db.session.query(User).execution_options(include_deleted=True).filter_by(id=admin.id)
    user = row.one()
    assert user.delete_time is not None
    assert (user.username, user.email, user.group_id) == (None, None, None)
    assert client.get(f"/v2/admin/{admin.id}", headers=super_headers).status_code == 404


def test_delete_self_answers_20030(client, super_admin, super_headers):
    response = client.delete(f"/v2/admin/{super_admin.id}", headers=super_headers)
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20030


def test_admin_routes_refuse_staff(client):
    staff = make_staff(("用户", "查询用户列表"))
    response = client.get("/v2/admin/list", headers=auth_headers(staff))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004
