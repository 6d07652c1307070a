"""/v1/user: register, profile, password, avatar URL, bind/unbind, delete, permissions."""

import json

import pytest
import responses
from sqlalchemy import select

from app.extensions import db
from app.models import Identity, Order, OrderStatus, Permission, Product, RefreshToken, User
from tests.factories import (
    JSCODE2SESSION_URL,
    PASSWORD,
    auth_headers,
    make_group,
    make_order,
    make_product,
    make_user,
    make_wechat_user,
    wechat_configured,
)

NEW_PASSWORD = "another-horse-43"


def fresh(user_id):
    """The user row as stored now, deleted or not."""
    db.session.expire_all()
    return db.session.scalar(
        select(User).where(User.id == user_id).execution_options(include_deleted=True)
    )


def login(client, account, secret=PASSWORD, type_=101):
    return client.post("/v1/token", json={"account": account, "secret": secret, "type": type_})


def wx_identities(user_id):
    return db.session.execute(
        select(Identity.type, Identity.identifier)
        .where(Identity.user_id == user_id)
        .order_by(Identity.type)
    ).all()


# ----------------------------------------------------------------------- GET /v1/user


def test_get_user_answers_me_without_secrets(client, customer, customer_headers):
    response = client.get("/v1/user", headers=customer_headers)
    data = response.get_json()["data"]
    assert response.status_code == 200
    assert data["id"] == customer.id
    assert data["email"] == "customer@example.com"
    assert (data["auth"], data["group_id"], data["auth_scope"], data["wx_bound"]) == (
        1,
        None,
        None,
        False,
    )
    assert isinstance(data["create_time"], int)
    assert not any("password" in key or "token" in key for key in data)


def test_get_user_without_token_answers_1002(client):
    response = client.get("/v1/user")
    assert (response.status_code, response.get_json()["error_code"]) == (401, 1002)


# ---------------------------------------------------------------------- POST /v1/user


def register(client, **body):
    body.setdefault("password", PASSWORD)
    body.setdefault("confirm_password", body["password"])
    return client.post("/v1/user", json=body)


def test_create_user_registers_customer_and_can_log_in(client):
    response = register(
        client, username="alice_1", email="Alice@Example.com", mobile="13912345678", nickname="A"
    )
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (201, 1)
    data = body["data"]
    assert (data["username"], data["email"], data["mobile"], data["nickname"]) == (
        "alice_1",
        "alice@example.com",
        "13912345678",
        "A",
    )
    assert (data["auth"], data["group_id"]) == (1, None)
    assert "token" not in data
    user = fresh(data["id"])
    assert user.check_password(PASSWORD) and user.password_hash != PASSWORD
    assert login(client, "ALICE_1", type_=100).status_code == 200
    assert login(client, "13912345678", type_=102).status_code == 200


def test_create_user_with_only_mobile_works(client):
    response = register(client, mobile="15000000000")
    assert response.status_code == 201
    assert response.get_json()["data"]["email"] is None


def test_create_user_without_identifier_answers_1000_on_username(client):
    response = register(client, nickname="nobody")
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (400, 1000)
    assert list(body["errors"]) == ["username"]
    assert db.session.scalar(select(User.id).where(User.nickname == "nobody")) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "1abc"}, "username"),
        ({"username": "a"}, "username"),
        ({"username": "ab-c"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"mobile": "12345678901"}, "mobile"),
        ({"mobile": 13912345678}, "mobile"),
        ({"email": "x@example.com", "password": "short"}, "password"),
        ({"email": "x@example.com", "password": "         "}, "password"),
        ({"email": "x@example.com", "password": "p" * 65}, "password"),
        ({"email": "x@example.com", "confirm_password": "different-123"}, "confirm_password"),
        ({"email": "x@example.com", "nickname": "n" * 25}, "nickname"),
    ],
)
def test_create_user_invalid_field_answers_1000(client, body, field):
    response = register(client, **body)
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (400, 1000)
    assert field in payload["errors"]
    assert db.session.scalar(select(User.id).where(User.email == "x@example.com")) is None


@pytest.mark.parametrize(
    "body",
    [
        {"email": "CUSTOMER@example.com"},
        {"email": "new@example.com", "username": "Taken"},
        {"email": "new@example.com", "mobile": "13700000000"},
    ],
)
def test_create_user_duplicate_answers_2001_without_naming_field(client, customer, body):
    make_user(username="taken", mobile="13700000000")
    response = register(client, **body)
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (409, 2001)
    for word in ("email", "username", "mobile"):
        assert word not in payload["msg"].lower()
    assert db.session.scalar(select(User.id).where(User.email == "new@example.com")) is None


def test_create_user_ignores_unlisted_fields(client):
    response = register(client, email="x@example.com", auth=2, group_id=1, active=False)
    user = fresh(response.get_json()["data"]["id"])
    assert (user.auth, user.group_id, user.active) == (1, None, True)


# ----------------------------------------------------------------------- PUT /v1/user


def test_update_user_changes_only_sent_fields(client, customer, customer_headers):
    response = client.put(
        "/v1/user",
        json={"nickname": " New ", "username": "cust_1", "id": 999, "auth": 2},
        headers=customer_headers,
    )
    data = response.get_json()["data"]
    assert (response.status_code, response.get_json()["error_code"]) == (201, 1)
    assert (data["nickname"], data["username"], data["email"]) == (
        "New",
        "cust_1",
        "customer@example.com",
    )
    user = fresh(customer.id)
    assert (user.nickname, user.username, user.auth, user.id) == ("New", "cust_1", 1, customer.id)


def test_update_user_null_removes_identifier(client, customer_headers, customer):
    client.put("/v1/user", json={"mobile": "13811112222"}, headers=customer_headers)
    response = client.put("/v1/user", json={"email": None}, headers=customer_headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["email"] is None
    assert fresh(customer.id).email is None


def test_update_user_removing_last_login_method_answers_11010(client, customer, customer_headers):
    response = client.put("/v1/user", json={"email": None}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 11010)
    assert fresh(customer.id).email == "customer@example.com"


def test_update_user_same_value_is_not_a_conflict(client, customer_headers):
    response = client.put(
        "/v1/user", json={"email": "Customer@example.com"}, headers=customer_headers
    )
    assert response.status_code == 201


def test_update_user_value_of_other_user_answers_2001(
    client, customer, other_customer, customer_headers
):
    response = client.put("/v1/user", json={"email": "OTHER@example.com"}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    assert fresh(customer.id).email == "customer@example.com"


def test_update_user_null_nickname_answers_1000(client, customer_headers):
    response = client.put("/v1/user", json={"nickname": None}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


# ------------------------------------------------------------------ PUT /v1/user/password


def change_password(client, headers, old=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.put(
        "/v1/user/password",
        json={"old_password": old, "new_password": new, "confirm_password": confirm or new},
        headers=headers,
    )


def test_change_password_answers_new_pair_and_ends_other_sessions(client, customer):
    first = login(client, "customer@example.com").get_json()["data"]
    headers = {"Authorization": f"Bearer {first['token']}"}
    response = change_password(client, headers)
    body = response.get_json()
    assert (response.status_code, body["error_code"], body["msg"]) == (201, 1, "Password changed")
    pair = body["data"]
    assert pair["uid"] == customer.id and pair["refresh_token"] != first["refresh_token"]
    # The old access and refresh tokens are dead, the new pair works.
    assert client.get("/v1/user", headers=headers).status_code == 401
    old_refresh = client.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert old_refresh.get_json()["error_code"] == 11050
    new_headers = {"Authorization": f"Bearer {pair['token']}"}
    assert client.get("/v1/user", headers=new_headers).status_code == 200
    assert fresh(customer.id).check_password(NEW_PASSWORD)
    assert login(client, "customer@example.com", NEW_PASSWORD).status_code == 200
    live = db.session.scalars(select(RefreshToken).where(RefreshToken.revoked_at.is_(None))).all()
    assert first["refresh_token"] not in [row.token_hash for row in live]


def test_change_password_wrong_old_answers_20040_and_changes_nothing(
    client, customer, customer_headers
):
    version = fresh(customer.id).token_version
    response = change_password(client, customer_headers, old="wrong-password")
    assert (response.status_code, response.get_json()["error_code"]) == (400, 20040)
    user = fresh(customer.id)
    assert user.check_password(PASSWORD) and user.token_version == version
    assert client.get("/v1/user", headers=customer_headers).status_code == 200


def test_change_password_missing_old_answers_1000(client, customer_headers):
    response = client.put(
        "/v1/user/password",
        json={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        headers=customer_headers,
    )
    assert response.get_json()["errors"] == {"old_password": ["This field is required."]}


def test_change_password_without_existing_password_ignores_old(client):
    user = make_wechat_user("o-pw")
    response = change_password(client, auth_headers(user, 200), old=None)
    assert response.status_code == 201
    assert fresh(user.id).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new", "confirm", "field"),
    [("short", None, "new_password"), (NEW_PASSWORD, "mismatch-123", "confirm_password")],
)
def test_change_password_invalid_new_answers_1000(
    client, customer, customer_headers, new, confirm, field
):
    response = change_password(client, customer_headers, new=new, confirm=confirm)
    assert (response.status_code, list(response.get_json()["errors"])) == (400, [field])
    assert fresh(customer.id).check_password(PASSWORD)


# -------------------------------------------------------------------- PUT /v1/user/avatar


def test_set_avatar_stores_url_unchanged(client, customer, customer_headers):
    url = "https://cdn.example.com/a.png?x=1"
    response = client.put("/v1/user/avatar", json={"avatar": url}, headers=customer_headers)
    body = response.get_json()
    assert (response.status_code, body["msg"], body["data"]["avatar"]) == (
        201,
        "Avatar updated",
        url,
    )
    assert fresh(customer.id).avatar == url


@pytest.mark.parametrize("url", ["ftp://x.example.com/a.png", "/uploads/a.png", "https://", ""])
def test_set_avatar_non_http_url_answers_1000(client, customer, customer_headers, url):
    response = client.put("/v1/user/avatar", json={"avatar": url}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert fresh(customer.id).avatar == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.example.com/a.png",
        "https://10.0.0.1/a.png",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/a.png",
        "https://db.internal/a.png",
        "https://user:pw@cdn.example.com/a.png",
        'https://cdn.example.com/a.png"><script>alert(1)</script>',
        "https://cdn.example.com/" + "a" * 232 + ".png",
        "javascript:alert(1)",
        "2024/01/01/" + "0" * 32 + ".png",
    ],
)
def test_set_avatar_refuses_anything_but_https_or_own_key(client, customer, customer_headers, url):
    response = client.put("/v1/user/avatar", json={"avatar": url}, headers=customer_headers)
    body = response.get_json()
    assert (response.status_code, body["error_code"], list(body["errors"])) == (
        400,
        1000,
        ["avatar"],
    )
    assert fresh(customer.id).avatar == ""


def test_set_avatar_accepts_https_url_of_255_characters(client, customer, customer_headers):
    url = "https://cdn.example.com/" + "a" * 227 + ".png"
    assert len(url) == 255
    response = client.put("/v1/user/avatar", json={"avatar": url}, headers=customer_headers)
    assert response.status_code == 201
    assert fresh(customer.id).avatar == url


def _upload_avatar(client, headers) -> None:
    import io

    from tests.factories import png_bytes

    response = client.post(
        "/v1/user/avatar",
        data={"file": (io.BytesIO(png_bytes()), "me.png")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201


def test_set_avatar_accepts_own_upload_key_only(
    client, customer, customer_headers, other_customer, other_headers
):
    _upload_avatar(client, customer_headers)
    key = fresh(customer.id).avatar
    same = client.put("/v1/user/avatar", json={"avatar": key}, headers=customer_headers)
    assert same.status_code == 201 and fresh(customer.id).avatar == key
    other = client.put("/v1/user/avatar", json={"avatar": key}, headers=other_headers)
    assert (other.status_code, other.get_json()["errors"]) == (
        400,
        {"avatar": ["Not the storage key of your uploaded avatar."]},
    )
    assert fresh(other_customer.id).avatar == ""


def test_set_avatar_url_removes_the_uploaded_avatar(app, client, customer, customer_headers):
    from pathlib import Path

    _upload_avatar(client, customer_headers)
    key = fresh(customer.id).avatar
    url = "https://cdn.example.com/a.png"
    response = client.put("/v1/user/avatar", json={"avatar": url}, headers=customer_headers)
    assert response.status_code == 201
    assert fresh(customer.id).avatar == url
    assert not (Path(app.config["UPLOAD_FOLDER"]) / key).exists()


def test_set_avatar_spec_states_the_https_rule(client):
    spec = client.get("/apispec_1.json").get_json()
    (body,) = spec["paths"]["/v1/user/avatar"]["put"]["parameters"]
    name = body["schema"]["$ref"].rpartition("/")[2]
    avatar = spec["definitions"][name]["properties"]["avatar"]
    assert avatar["maxLength"] == 255
    assert avatar["pattern"].startswith("^https://")
    assert "https://" in avatar["description"] and "IP address" in avatar["description"]


# ---------------------------------------------------------------------- bind / unbind


def test_bind_username_and_mobile_sets_columns(client, customer, customer_headers):
    client.put("/v1/user/bind", json={"type": 100, "account": "cust_9"}, headers=customer_headers)
    response = client.put(
        "/v1/user/bind", json={"type": 102, "account": "13611112222"}, headers=customer_headers
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["mobile"] == "13611112222"
    user = fresh(customer.id)
    assert (user.username, user.mobile) == ("cust_9", "13611112222")


def test_bind_email_used_by_other_answers_2001(client, other_customer, customer, customer_headers):
    response = client.put(
        "/v1/user/bind",
        json={"type": 101, "account": "Other@example.com"},
        headers=customer_headers,
    )
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    assert fresh(customer.id).email == "customer@example.com"


def test_bind_invalid_account_answers_1000_on_account(client, customer_headers):
    response = client.put(
        "/v1/user/bind", json={"type": 102, "account": "12345"}, headers=customer_headers
    )
    assert response.get_json()["errors"] == {
        "account": ["Must be 11 digits starting with 13 to 19."]
    }


def test_bind_secret_sets_password_only_when_missing(client, app):
    user = make_wechat_user("o-b")
    headers = auth_headers(user, 200)
    client.put(
        "/v1/user/bind",
        json={"type": 101, "account": "wx@example.com", "secret": NEW_PASSWORD},
        headers=headers,
    )
    assert fresh(user.id).check_password(NEW_PASSWORD)
    client.put(
        "/v1/user/bind",
        json={"type": 100, "account": "wxuser", "secret": "ignored-password"},
        headers=headers,
    )
    assert fresh(user.id).check_password(NEW_PASSWORD)
    assert login(client, "wx@example.com", NEW_PASSWORD).status_code == 200


def test_bind_wechat_exchanges_code_and_stores_identities(client, app, customer, customer_headers):
    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-c", "unionid": "u-c"})
        response = client.put(
            "/v1/user/bind", json={"type": 200, "account": "code"}, headers=customer_headers
        )
    assert response.status_code == 201
    assert response.get_json()["data"]["wx_bound"] is True
    assert wx_identities(customer.id) == [(200, "o-c"), (201, "u-c")]


def test_bind_wechat_openid_of_other_user_answers_2001(client, app, customer, customer_headers):
    make_wechat_user("o-taken")
    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-taken"})
        response = client.put(
            "/v1/user/bind", json={"type": 200, "account": "code"}, headers=customer_headers
        )
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)
    assert wx_identities(customer.id) == []


def test_bind_wechat_bad_code_answers_11020(client, app, customer, customer_headers):
    with wechat_configured(app) as wx:
        wx.add(responses.GET, JSCODE2SESSION_URL, json={"errcode": 40163})
        response = client.put(
            "/v1/user/bind", json={"type": 200, "account": "used"}, headers=customer_headers
        )
    assert (response.status_code, response.get_json()["error_code"]) == (400, 11020)
    assert wx_identities(customer.id) == []


def test_bind_wechat_not_configured_answers_11040(client, customer_headers):
    response = client.put(
        "/v1/user/bind", json={"type": 200, "account": "code"}, headers=customer_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (503, 11040)


def test_bind_unsupported_type_answers_1000(client, customer_headers):
    response = client.put(
        "/v1/user/bind", json={"type": 201, "account": "x"}, headers=customer_headers
    )
    assert list(response.get_json()["errors"]) == ["type"]


def test_unbind_email_keeps_other_login_method(client, customer_headers, customer):
    client.put("/v1/user", json={"username": "keeper"}, headers=customer_headers)
    response = client.put("/v1/user/unbind", json={"type": 101}, headers=customer_headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["email"] is None
    assert (fresh(customer.id).email, fresh(customer.id).username) == (None, "keeper")


def test_unbind_last_login_method_answers_11010(client, customer, customer_headers):
    response = client.put("/v1/user/unbind", json={"type": 101}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 11010)
    assert fresh(customer.id).email == "customer@example.com"


def test_unbind_not_bound_answers_11070(client, customer_headers):
    for type_ in (100, 102, 200):
        response = client.put("/v1/user/unbind", json={"type": type_}, headers=customer_headers)
        assert (response.status_code, response.get_json()["error_code"]) == (404, 11070)


def test_unbind_wechat_only_user_answers_11010(client):
    user = make_wechat_user("o-only")
    response = client.put("/v1/user/unbind", json={"type": 200}, headers=auth_headers(user, 200))
    assert response.get_json()["error_code"] == 11010
    assert wx_identities(user.id) == [(200, "o-only")]


def test_unbind_wechat_removes_identities(client, customer, customer_headers):
    db.session.add_all(
        [
            Identity(user_id=customer.id, type=200, identifier="o-x"),
            Identity(user_id=customer.id, type=201, identifier="u-x"),
        ]
    )
    db.session.commit()
    response = client.put("/v1/user/unbind", json={"type": 200}, headers=customer_headers)
    assert response.get_json()["data"]["wx_bound"] is False
    assert wx_identities(customer.id) == []


def test_unbind_wechat_user_with_password_can_drop_email(client):
    user = make_wechat_user("o-e", email="wx2@example.com")
    response = client.put("/v1/user/unbind", json={"type": 101}, headers=auth_headers(user, 200))
    assert response.status_code == 201
    assert fresh(user.id).email is None


# ---------------------------------------------------------------------- DELETE /v1/user


def test_delete_user_soft_deletes_and_frees_identifiers(client, customer, customer_headers):
    group = make_group()
    user = fresh(customer.id)
    user.username, user.mobile, user.group_id = "gone", "13500000000", group.id
    db.session.add(Identity(user_id=customer.id, type=200, identifier="o-del"))
    db.session.commit()
    pair = login(client, "customer@example.com").get_json()["data"]
    response = client.delete("/v1/user", headers=customer_headers)
    body = response.get_json()
    assert (response.status_code, body["error_code"], body["data"]) == (202, 2, {"id": customer.id})
    user = fresh(customer.id)
    assert user.delete_time is not None
    assert (user.username, user.email, user.mobile, user.group_id) == (None, None, None, None)
    assert wx_identities(customer.id) == []
    assert client.get("/v1/user", headers=customer_headers).status_code == 401
    refresh = client.post("/v1/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.get_json()["error_code"] == 11050
    # The identifiers can be registered again.
    again = register(client, email="customer@example.com", username="gone", mobile="13500000000")
    assert again.status_code == 201


def test_delete_user_cancels_unpaid_orders_and_keeps_paid(client, customer, customer_headers):
    product = make_product(stock=10)
    unpaid = make_order(customer, (product, 2))
    paid = make_order(customer, (product, 3), order_status=OrderStatus.PAID)
    assert db.session.get(Product, product.id).stock == 5
    response = client.delete("/v1/user", headers=customer_headers)
    assert response.status_code == 202
    db.session.expire_all()
    assert db.session.get(Order, unpaid.id).order_status == OrderStatus.CANCELLED
    assert db.session.get(Order, paid.id).order_status == OrderStatus.PAID
    assert db.session.get(Product, product.id).stock == 7


def test_delete_user_super_admin_answers_20030(client, super_admin, super_headers):
    response = client.delete("/v1/user", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (403, 20030)
    assert fresh(super_admin.id).delete_time is None


# ------------------------------------------------------------------- GET /v1/user/auths


def test_list_user_auths_customer_gets_empty_list(client, customer_headers):
    response = client.get("/v1/user/auths", headers=customer_headers)
    assert response.get_json()["data"] == {"items": []}


def test_list_user_auths_staff_gets_group_permissions_by_id(client):
    permissions = db.session.scalars(select(Permission).order_by(Permission.id).limit(3)).all()
    assert len(permissions) == 3
    pairs = [(p.module, p.name) for p in (permissions[2], permissions[0])]
    staff = make_user(group=make_group(*pairs))
    items = client.get("/v1/user/auths", headers=auth_headers(staff)).get_json()["data"]["items"]
    assert items == [
        {"id": p.id, "name": p.name, "module": p.module} for p in (permissions[0], permissions[2])
    ]


def test_list_user_auths_super_admin_gets_live_catalogue(client, super_headers):
    live = db.session.scalars(
        select(Permission.id).where(Permission.retired.is_(False)).order_by(Permission.id)
    ).all()
    items = client.get("/v1/user/auths", headers=super_headers).get_json()["data"]["items"]
    assert [item["id"] for item in items] == live


# ------------------------------------------------------------ nickname content check (WeChat)


def _wx_nickname_user():
    user = make_wechat_user("o-nick", nickname="旧昵称")
    return user, auth_headers(user, 200)


def _answer_check(mock, **answer):
    from tests.factories import MSG_SEC_CHECK_URL, answer_stable_token

    answer_stable_token(mock, "ACCESS-1")
    mock.add(responses.POST, MSG_SEC_CHECK_URL, **answer)


def test_update_nickname_refused_by_wechat_answers_35050(app, client):
    user, headers = _wx_nickname_user()
    with wechat_configured(app) as mock:
        _answer_check(mock, json={"errcode": 0, "result": {"suggest": "risky", "label": 20001}})
        response = client.put("/v1/user", json={"nickname": "坏名字"}, headers=headers)
        [check] = [c for c in mock.calls if "msg_sec_check" in c.request.url]
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 35050
    assert json.loads(check.request.body) == {
        "content": "坏名字",
        "version": 2,
        "scene": 1,
        "openid": "o-nick",
    }
    db.session.expire_all()
    assert db.session.get(User, user.id).nickname == "旧昵称"


def test_update_nickname_passed_by_wechat_is_saved(app, client):
    user, headers = _wx_nickname_user()
    with wechat_configured(app) as mock:
        _answer_check(mock, json={"errcode": 0, "result": {"suggest": "pass", "label": 100}})
        response = client.put("/v1/user", json={"nickname": "新昵称"}, headers=headers)
    assert response.status_code == 201 and response.get_json()["data"]["nickname"] == "新昵称"


def test_update_nickname_while_wechat_is_down_is_saved_unchecked(app, client):
    import requests

    user, headers = _wx_nickname_user()
    with wechat_configured(app) as mock:
        _answer_check(mock, body=requests.ConnectionError("down"))
        response = client.put("/v1/user", json={"nickname": "新昵称"}, headers=headers)
    assert response.status_code == 201


def test_update_nickname_while_wechat_is_down_fails_closed_when_set(app, client, monkeypatch):
    import requests

    monkeypatch.setitem(app.config, "CONTENT_CHECK_NICKNAME_FAIL_OPEN", False)
    user, headers = _wx_nickname_user()
    with wechat_configured(app) as mock:
        _answer_check(mock, body=requests.ConnectionError("down"))
        response = client.put("/v1/user", json={"nickname": "新昵称"}, headers=headers)
    assert (response.status_code, response.get_json()["error_code"]) == (502, 11030)
    db.session.expire_all()
    assert db.session.get(User, user.id).nickname == "旧昵称"


def test_update_other_fields_or_same_nickname_asks_wechat_nothing(app, client):
    user, headers = _wx_nickname_user()
    with wechat_configured(app) as mock:
        response = client.put(
            "/v1/user", json={"nickname": "旧昵称", "mobile": "13811112233"}, headers=headers
        )
        assert len(mock.calls) == 0
    assert response.status_code == 201
