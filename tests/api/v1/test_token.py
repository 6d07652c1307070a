"""POST /v1/token and friends: password logins, verify, refresh rotation, logout."""

import threading

import requests
import responses
from sqlalchemy import func, select

from app.extensions import db
from app.models import Identity, LoginLog, RefreshToken, User
from tests.factories import (
    JSCODE2SESSION_URL,
    PASSWORD,
    make_user,
    make_wechat_user,
    wechat_configured,
)
from tests.helpers import count_statements


def login(client, account, secret=PASSWORD, type_=101):
    return client.post("/v1/token", json={"account": account, "secret": secret, "type": type_})


def test_create_token_with_email_returns_token_pair(client, customer):
    response = login(client, "CUSTOMER@example.com")
    assert response.status_code == 200
    body = response.get_json()
    assert body["error_code"] == 0
    data = body["data"]
    assert data["uid"] == customer.id
    assert data["token_type"] == "Bearer"
    assert data["scope"] == "user"
    assert data["expires_in"] == 7200
    me = client.get("/v1/user", headers={"Authorization": f"Bearer {data['token']}"})
    assert me.get_json()["data"]["email"] == "customer@example.com"
    log = db.session.scalars(select(LoginLog)).one()
    assert (log.user_id, log.status, log.client_type) == (customer.id, True, 101)
    assert db.session.scalar(select(User.last_login_time).where(User.id == customer.id))


def test_create_token_with_mobile_works(client):
    user = make_user(mobile="13912345678")
    response = login(client, "13912345678", type_=102)
    assert response.get_json()["data"]["uid"] == user.id


def test_create_token_unknown_account_and_wrong_password_answer_the_same(client, customer):
    unknown = login(client, "nobody@example.com")
    wrong = login(client, "customer@example.com", secret="not-the-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json()["error_code"] == wrong.get_json()["error_code"] == 1005
    assert unknown.get_json()["msg"] == wrong.get_json()["msg"]
    logs = db.session.scalars(select(LoginLog).order_by(LoginLog.id)).all()
    assert [(log.status, log.user_id) for log in logs] == [(False, None), (False, customer.id)]


def test_create_token_account_without_password_is_refused(client):
    make_user(email="wx@example.com", password=None)
    assert login(client, "wx@example.com", secret="").get_json()["error_code"] == 1005


def test_create_token_disabled_account_answers_20020_after_password(client):
    make_user(email="off@example.com", active=False)
    assert login(client, "off@example.com", secret="bad-password").get_json()["error_code"] == 1005
    response = login(client, "off@example.com")
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 20020


def test_create_token_unsupported_type_answers_1006(client):
    for type_ in (201, 202, 203, 300, 999):
        response = login(client, "a@b.c", type_=type_)
        assert response.status_code == 400
        assert response.get_json()["error_code"] == 1006


def test_create_token_bad_input_answers_1000_with_field_errors(client):
    response = client.post("/v1/token", json={"account": "", "type": "abc"})
    body = response.get_json()
    assert response.status_code == 400
    assert body["error_code"] == 1000
    assert set(body["errors"]) == {"account", "type"}
    assert body["request_url"] == "POST /v1/token"


def test_verify_token_answers_uid_scope_and_times(client, customer):
    token = login(client, "customer@example.com").get_json()["data"]["token"]
    data = client.post("/v1/token/verify", json={"token": token}).get_json()["data"]
    assert data["uid"] == customer.id
    assert data["scope"] == "user"
    assert data["type"] == 101
    assert data["expire_in"] - data["create_at"] == 7200


def test_verify_token_forged_answers_1002(client):
    response = client.post("/v1/token/verify", json={"token": "forged.token.value"})
    assert response.status_code == 401
    assert response.get_json()["error_code"] == 1002


def test_refresh_rotates_and_reuse_revokes_family(client, customer):
    first = login(client, "customer@example.com").get_json()["data"]
    second = client.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    pair = second.get_json()["data"]
    assert pair["refresh_token"] != first["refresh_token"]
    reused = client.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.get_json()["error_code"] == 11060
    # the whole family is revoked, including the token issued by the rotation
    after = client.post("/v1/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert after.get_json()["error_code"] == 11050
    rows = db.session.scalars(select(RefreshToken)).all()
    assert len(rows) == 2 and all(row.revoked_at for row in rows)


def test_refresh_unknown_token_answers_11050(client):
    response = client.post("/v1/token/refresh", json={"refresh_token": "x" * 43})
    assert response.status_code == 401
    assert response.get_json()["error_code"] == 11050


def test_logout_revokes_the_family_and_reveals_nothing(client, customer):
    pair = login(client, "customer@example.com").get_json()["data"]
    assert client.post("/v1/token/logout", json={"refresh_token": "unknown"}).status_code == 200
    assert (
        client.post("/v1/token/logout", json={"refresh_token": pair["refresh_token"]}).get_json()[
            "data"
        ]
        == {}
    )
    again = client.post("/v1/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.get_json()["error_code"] == 11050


def test_delete_token_revokes_every_token_of_the_user(client, customer):
    pair = login(client, "customer@example.com").get_json()["data"]
    headers = {"Authorization": f"Bearer {pair['token']}"}
    response = client.delete("/v1/token", headers=headers)
    assert response.status_code == 202
    assert response.get_json() == {"error_code": 2, "msg": "Deleted", "data": {"id": customer.id}}
    revoked = client.get("/v1/user", headers=headers)
    assert revoked.status_code == 401
    assert revoked.get_json()["msg"] == "Token revoked"
    refresh = client.post("/v1/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.get_json()["error_code"] == 11050


# ----------------------------------------------------------- WeChat mini-program (200)


def wx_login(client, code="wx-code"):
    return client.post("/v1/token", json={"account": code, "secret": "", "type": 200})


def test_create_token_wechat_first_login_creates_user(client, app):

    with wechat_configured(app) as wx:
        wx.add(
            responses.GET,
            JSCODE2SESSION_URL,
            json={"openid": "o-tok", "unionid": "u-tok", "session_key": "sk-secret"},
        )
        response = wx_login(client)
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (200, 0)
    data = body["data"]
    assert data["scope"] == "user" and data["refresh_token"]
    assert "sk-secret" not in response.get_data(as_text=True)
    user = db.session.get(User, data["uid"])
    assert (user.password_hash, user.auth, user.last_login_time is not None) == (None, 1, True)
    kinds = db.session.execute(
        select(Identity.type, Identity.identifier).order_by(Identity.type)
    ).all()
    assert kinds == [(200, "o-tok"), (201, "u-tok")]
    me = client.get("/v1/user", headers={"Authorization": f"Bearer {data['token']}"})
    assert me.get_json()["data"]["wx_bound"] is True
    log = db.session.scalars(select(LoginLog)).one()
    assert (log.user_id, log.user_name, log.client_type, log.status) == (user.id, "", 200, True)


def test_create_token_wechat_existing_user_logs_nickname(client, app):

    user = make_wechat_user("o-known", nickname="小明")
    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-known"})
        response = wx_login(client, code="code-never-logged")
    assert response.get_json()["data"]["uid"] == user.id
    log = db.session.scalars(select(LoginLog)).one()
    assert (log.user_name, log.status) == ("小明", True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_token_wechat_errors_map_to_contract_codes(client, app):

    cases = [
        ({"json": {"errcode": 40029}}, 400, 11020),
        ({"json": {"errcode": 45011}}, 429, 1008),
        ({"json": {"errcode": -1}}, 502, 11030),
        ({"body": requests.exceptions.ReadTimeout()}, 502, 11030),
    ]
    for kwargs, status, code in cases:
        with wechat_configured(app) as wx:
            wx.add(responses.GET, JSCODE2SESSION_URL, **kwargs)
            response = wx_login(client, code="secret-code")
        assert (response.status_code, response.get_json()["error_code"]) == (status, code)
    logs = db.session.scalars(select(LoginLog)).all()
    assert [(log.status, log.client_type) for log in logs] == [(False, 200)] * len(cases)
    assert all(log.user_name == "" and "secret-code" not in log.message for log in logs)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_token_wechat_not_configured_answers_11040(client):
    response = wx_login(client)
    assert (response.status_code, response.get_json()["error_code"]) == (503, 11040)
    assert db.session.scalars(select(LoginLog)).one().status is False


def test_create_token_wechat_disabled_user_answers_20020(client, app):

    make_wechat_user("o-off", active=False)
    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-off"})
        response = wx_login(client)
    assert (response.status_code, response.get_json()["error_code"]) == (403, 20020)


def test_create_token_wechat_concurrent_first_logins_share_one_user(app, monkeypatch):
    from app.services import wechat

    both_looked = threading.Barrier(2, timeout=10)
    waited = threading.local()
    real_find = wechat.find_user_by_openid

    def find_then_wait(openid):
        # Both requests look the openid up (and find nobody) before either creates the user.
        user = real_find(openid)
        if not getattr(waited, "done", False):
            waited.done = True
            both_looked.wait()
        return user

    monkeypatch.setattr(wechat, "find_user_by_openid", find_then_wait)
    results = []

    def log_in():
        with app.test_client() as client:
            response = wx_login(client)
            results.append((response.status_code, response.get_json()))

    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-race"})
        threads = [threading.Thread(target=log_in) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert [status for status, _ in results] == [200, 200], results
    assert results[0][1]["data"]["uid"] == results[1][1]["data"]["uid"]
    db.session.rollback()  # end this session's snapshot, taken before the threads wrote
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert db.session.scalar(select(func.count(Identity.id))) == 1


def test_refresh_takes_three_statements(client, customer):
    """The token with its user, the guarded UPDATE marking it used, the new token's INSERT."""
    first = login(client, "customer@example.com").get_json()["data"]
    with count_statements() as log:
        response = client.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200, response.get_json()
    assert [statement.split()[0] for statement in log.statements] == ["SELECT", "UPDATE", "INSERT"]
    pair = response.get_json()["data"]
    assert (pair["uid"], pair["scope"]) == (customer.id, "user")


def test_refresh_of_a_deleted_user_answers_11050(client, customer):
    first = login(client, "customer@example.com").get_json()["data"]
    customer.soft_delete()
    db.session.commit()
    response = client.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 401
    assert response.get_json()["error_code"] == 11050
