"""Token checks (signature, expiry, revocation) and access declarations."""

import base64
import time

from itsdangerous import URLSafeTimedSerializer

from app.core.auth import ACCESS_TOKEN_SALT
from app.extensions import db
from tests.factories import auth_headers, make_staff, make_user, token_for


def basic(token: str, password: str = "$") -> dict:
    raw = base64.b64encode(f"{token}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def old_token(app, user, age: int) -> str:
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=ACCESS_TOKEN_SALT)
    real_time = time.time
    try:
        time.time = lambda: real_time() - age
        return serializer.dumps({"uid": user.id, "type": 101, "scope": "user", "ver": 0})
    finally:
        time.time = real_time


def test_token_accepted_as_basic_user_name_and_as_bearer(client, customer):
    token = token_for(customer)
    for headers in (basic(token), basic(token, ""), {"Authorization": f"bearer {token}"}):
        response = client.get("/v1/user", headers=headers)
        assert response.status_code == 200
        assert response.get_json()["data"]["id"] == customer.id
    no_colon = base64.b64encode(token.encode()).decode()
    assert client.get("/v1/user", headers={"Authorization": f"Basic {no_colon}"}).status_code == 200


def test_missing_or_unreadable_credentials_answer_1002(client):
    for headers in (
        {},
        {"Authorization": "undefined"},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Digest abc"},
    ):
        response = client.get("/v1/user", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error_code"] == 1002
        assert response.get_json()["msg"] == "Missing or unreadable token"


def test_tampered_or_foreign_tokens_answer_1002(app, client, customer):
    token = token_for(customer)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    other_secret = URLSafeTimedSerializer("another-secret", salt=ACCESS_TOKEN_SALT).dumps(
        {"uid": customer.id, "type": 101, "scope": "user", "ver": 0}
    )
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(
        {"uid": customer.id, "type": 101, "scope": "user", "ver": 0}
    )
    for bad in (tampered, other_secret, other_salt, "garbage"):
        response = client.get("/v1/user", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
        assert response.get_json() == {
            "error_code": 1002,
            "msg": "Invalid token",
            "request_url": "GET /v1/user",
        }


def test_expired_token_answers_1003_on_v1_and_v2_but_1002_on_cms(app, client, super_admin):
    token = old_token(app, super_admin, 7201)
    headers = {"Authorization": f"Bearer {token}"}
    v1 = client.get("/v1/user", headers=headers)
    assert (v1.status_code, v1.get_json()["error_code"]) == (401, 1003)
    v2 = client.get("/v2/server", headers=headers)
    assert (v2.status_code, v2.get_json()["error_code"]) == (401, 1003)
    cms = client.get("/cms/server", headers=headers)
    assert (cms.status_code, cms.get_json()["error_code"]) == (401, 1002)
    assert cms.get_json()["msg"] == "Token expired"


def test_revoked_deleted_or_disabled_user_tokens_answer_1002(client):
    user = make_user()
    headers = auth_headers(user)
    user.revoke_tokens()
    db.session.commit()
    assert client.get("/v1/user", headers=headers).get_json()["msg"] == "Token revoked"
    disabled = make_user()
    headers = auth_headers(disabled)
    disabled.active = False
    db.session.commit()
    assert client.get("/v1/user", headers=headers).get_json()["error_code"] == 1002
    gone = make_user()
    headers = auth_headers(gone)
    gone.soft_delete()
    db.session.commit()
    assert client.get("/v1/user", headers=headers).get_json()["error_code"] == 1002


def test_public_route_ignores_bad_tokens(client, customer):
    response = client.post(
        "/v1/token/logout", json={"refresh_token": "x"}, headers={"Authorization": "Bearer broken"}
    )
    assert response.status_code == 200


def test_admin_route_without_token_is_401_and_with_customer_token_403(client, customer):
    assert client.get("/v2/server").status_code == 401
    response = client.get("/cms/server", headers=auth_headers(customer))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def test_super_only_route_refuses_staff(client, super_headers):
    staff = make_staff(("用户", "查询用户列表"))
    assert client.get("/v2/server", headers=auth_headers(staff)).status_code == 403
    assert client.get("/v2/server", headers=super_headers).status_code == 200


def test_permission_changes_apply_to_the_next_request(client):
    from app.models import Auth, Permission

    staff = make_staff()
    headers = auth_headers(staff)
    assert client.get("/v2/user/list", headers=headers).status_code == 403
    permission = db.session.query(Permission).filter_by(name="查询用户列表").one()
    db.session.add(Auth(group_id=staff.group_id, permission_id=permission.id))
    db.session.commit()
    assert client.get("/v2/user/list", headers=headers).status_code == 200
