"""Property-level access: protected fields sent to write routes are never assigned.

Write routes are taken from the route map by the rows they touch (user, address, article); each
gets a body of protected fields and the row is compared before and after on those columns.
"""

import pytest

from app.extensions import db
from app.models import Address, Article, CartItem, Order, Product, Sku, User
from tests import factories
from tests.helpers import skip_unless_route
from tests.security.helpers import call, routes, snapshot

PROTECTED = {
    "id": 4242,
    "uid": 4242,
    "user_id": 4242,
    "auth": 2,
    "token_version": 77,
    "password": "hacked-password-1",
    "password_hash": "plain",
    "create_time": 1,
    "update_time": 1,
    "delete_time": 1,
    "views": 9999,
    "order_status": 2,
    "author": "Mallory",
    "author_id": 4242,
    "active": False,
    "last_login_time": 1,
}
USER_COLUMNS = ("id", "auth", "group_id", "token_version", "password_hash", "create_time")
USER_COLUMNS += ("delete_time", "active", "last_login_time")

# Routes whose purpose is to change a field PROTECTED also holds: that change is legit.
LISTED = {
    "password": {"password_hash", "token_version"},
    "disable": {"active", "token_version"},
    "active": {"active"},
}
GROUP_ROUTES = {"/v2/user/<int:uid>", "/v2/user/<int:uid>/group", "/v2/admin/<int:uid>"}


def _changed(before, after, columns):
    return {c: (before[c], after[c]) for c in columns if before[c] != after[c]}


def _write_routes(app, prefixes):
    return [r for r in routes(app, *prefixes) if r.method in ("PUT", "POST")]


def _write(client, route, model, row_id, headers, body, path=None):
    """Send `body` to `route` for row `row_id`: the response and the row before and after."""
    before = snapshot(model, row_id)
    response = call(client, route, path or route.path(row_id), headers, body)
    return response, before, snapshot(model, row_id)


def test_own_profile_routes_never_assign_protected_fields(app, client, customer):
    headers = factories.auth_headers(customer)
    checked, failures = [], []
    for route in _write_routes(app, ("/v1/user",)):
        if route.kind != "login":
            continue
        body = {**PROTECTED, "group_id": factories.make_group().id}
        response, before, after = _write(
            client, route, User, customer.id, headers, body, route.path()
        )
        checked.append(str(route))
        assert response.status_code < 500, (str(route), response.get_json())
        allowed = LISTED.get(route.rule.rsplit("/", 1)[-1], set())
        changed = _changed(before, after, [c for c in USER_COLUMNS if c not in allowed])
        if changed:
            failures.append(f"{route}: {changed}")
    print(f"property-level own profile: {len(checked)} routes covered: {checked}")
    assert checked
    assert not failures, failures


def test_admin_user_routes_never_assign_protected_fields(app, client, super_admin):
    headers = factories.auth_headers(super_admin)
    checked, failures = [], []
    for route in _write_routes(app, ("/v2/user/", "/v2/admin/")):
        if "uid" not in route.int_params:
            continue
        target = factories.make_staff(email=f"target{len(checked)}@example.com")
        body = dict(PROTECTED)
        if route.rule not in GROUP_ROUTES:
            body["group_id"] = factories.make_group().id
        response, before, after = _write(client, route, User, target.id, headers, body)
        checked.append(str(route))
        assert response.status_code < 500, (str(route), response.get_json())
        allowed = set(LISTED.get(route.rule.rsplit("/", 1)[-1], set()))
        allowed |= LISTED.get(route.rule.split("/")[3], set())  # /v2/admin/<verb>/<uid>
        if route.rule in GROUP_ROUTES:
            allowed.add("group_id")
        changed = _changed(before, after, [c for c in USER_COLUMNS if c not in allowed])
        if changed:
            failures.append(f"{route}: {changed}")
    print(f"property-level admin user routes: {len(checked)} routes covered")
    if not checked:
        pytest.skip("no /v2/user or /v2/admin write route with a uid yet")
    assert not failures, failures


def test_registration_never_assigns_protected_fields(app, client):
    skip_unless_route(app, "POST", "/v1/user")
    group = factories.make_group()
    body = {
        **PROTECTED,
        "group_id": group.id,
        "email": "new@example.com",
        "password": "long-enough-1",
        "confirm_password": "long-enough-1",
    }
    response = client.post("/v1/user", json=body)
    assert response.status_code == 201, response.get_json()
    user = db.session.query(User).filter_by(email="new@example.com").one()
    assert (user.auth, user.group_id, user.token_version, user.active) == (1, None, 0, True)
    assert user.id != PROTECTED["id"]
    assert user.check_password("long-enough-1")
    assert user.last_login_time is None


def test_address_writes_keep_owner_and_ids(app, client, customer, other_customer):
    headers = factories.auth_headers(customer)
    address = factories.make_address(customer)
    valid = {"name": "李四", "mobile": "13900139000", "province": "江苏", "city": "南京"}
    valid.update({"country": "玄武", "detail": "中山路2号"})
    body = {**PROTECTED, **valid, "user_id": other_customer.id}
    checked = []
    for route in _write_routes(app, ("/v1/address",)):
        checked.append(str(route))
        response, before, after = _write(client, route, Address, address.id, headers, body)
        assert response.status_code < 500, (str(route), response.get_json())
        assert after["user_id"] == customer.id
        assert after["create_time"] == before["create_time"]
        assert after["delete_time"] is None
    rows = db.session.query(Address).execution_options(include_deleted=True).all()
    assert all(row.user_id == customer.id for row in rows), [(r.id, r.user_id) for r in rows]
    assert all(row.id != PROTECTED["id"] for row in rows)
    print(f"property-level address: {len(checked)} routes covered")
    assert checked


def test_article_update_ignores_views_author_and_times(app, client, super_admin):
    skip_unless_route(app, "PUT", "/v2/article/<int:id>")
    author = factories.make_user()
    article = factories.make_article(author, views=3)
    before = snapshot(Article, article.id)
    body = {**PROTECTED, "title": "Edited title"}
    response = client.put(
        f"/v2/article/{article.id}", json=body, headers=factories.auth_headers(super_admin)
    )
    assert response.status_code == 201, response.get_json()
    after = snapshot(Article, article.id)
    assert after["title"] == "Edited title"
    for column in ("id", "views", "author_id", "create_time", "delete_time"):
        assert after[column] == before[column], column


SKU_PROTECTED = {**PROTECTED, "sales": 999, "spec_text": "x:y", "specs": {"a": "b"}}
SKU_COLUMNS = ("id", "product_id", "sales", "spec_text", "specs", "price", "create_time")
SKU_COLUMNS += ("delete_time", "on_sale", "img_id", "code")


def test_sku_write_routes_never_assign_protected_fields(app, client, super_admin):
    """Every /v2/sku write route, and the SKU items of PUT /v2/product, with protected fields:
    the SKU keeps them (only what the route is for, its stock, may change)."""
    headers = factories.auth_headers(super_admin)
    other = factories.make_product()
    checked, failures = [], []
    for route in _write_routes(app, ("/v2/sku/",)):
        product = factories.make_sku_product()
        sku = factories.skus_of(product)[0]
        body = {**SKU_PROTECTED, "product_id": other.id, "stock": 3}
        response, before, after = _write(client, route, Sku, sku.id, headers, body)
        checked.append(str(route))
        assert response.status_code < 500, (str(route), response.get_json())
        changed = _changed(before, after, SKU_COLUMNS)
        if changed:
            failures.append(f"{route}: {changed}")
    product = factories.make_sku_product()
    skus = factories.skus_of(product)
    items = [
        {
            **SKU_PROTECTED,
            "id": sku.id,
            "product_id": other.id,
            "specs": sku.specs,
            "price": "10.00",
        }
        for sku in skus
    ]
    before = [snapshot(Sku, sku.id) for sku in skus]
    response = client.put(f"/v2/product/{product.id}", json={"skus": items}, headers=headers)
    assert response.status_code == 201, response.get_json()
    for old in before:
        changed = _changed(old, snapshot(Sku, old["id"]), SKU_COLUMNS)
        if changed:
            failures.append(f"PUT /v2/product skus: {changed}")
    assert snapshot(Product, product.id)["sales"] == 0
    assert len(factories.skus_of(other)) == 1
    print(f"property-level SKU routes: {len(checked)} routes covered: {checked}")
    assert checked
    assert not failures, failures


def test_cart_writes_keep_owner_ids_and_the_price_when_added(app, client, customer, other_customer):
    headers = factories.auth_headers(customer)
    product = factories.make_product(price="9.90")
    sku = factories.skus_of(product)[0]
    line = factories.make_cart_line(customer, sku, count=1)
    other = factories.make_cart_line(other_customer)
    body = {
        **PROTECTED,
        "user_id": other_customer.id,
        "product_id": product.id,
        "count": 2,
        "checked": True,
        "add_price": "0.01",
        "ids": [line.id],
    }
    checked = []
    for route in _write_routes(app, ("/v1/cart",)):
        checked.append(str(route))
        response, before, after = _write(client, route, CartItem, line.id, headers, body)
        assert response.status_code < 300, (str(route), response.get_json())
        for column in ("id", "user_id", "product_id", "sku_id", "add_price", "create_time"):
            assert after[column] == before[column], (str(route), column)
    rows = db.session.query(CartItem).all()
    assert sorted((row.user_id, row.sku_id) for row in rows) == sorted(
        [(customer.id, sku.id), (other_customer.id, other.sku_id)]
    )
    print(f"property-level cart: {len(checked)} routes covered")
    assert len(checked) == 3


REVIEW_PROTECTED = {
    **PROTECTED,
    "order_id": 4242,
    "product_id": 4242,
    "sku_id": 4242,
    "spec": "Mallory:spec",
    "visible": False,
    "has_image": True,
    "reply": "forged reply",
    "reply_time": 1,
    "reply_user_id": 4242,
}


def test_review_writes_never_assign_protected_fields(app, client, customer, other_customer):
    """POST /v1/review and every /v2/review write, with protected fields: a review takes its
    owner, order, product and SKU from the order line, and staff routes change only what they
    are for."""
    from app.models import Review

    headers = factories.auth_headers(customer)
    line = factories.order_lines(factories.make_received_order(customer))[0]
    body = {**REVIEW_PROTECTED, "user_id": other_customer.id, "line_id": line.id, "rating": 4}
    response = client.post("/v1/review", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    review = snapshot(Review, response.get_json()["data"]["id"])
    expected = {
        "user_id": customer.id,
        "order_id": line.order_id,
        "product_id": line.product_id,
        "sku_id": line.sku_id,
        "spec": "",
        "visible": True,
        "has_image": False,
        "reply": None,
        "reply_time": None,
        "reply_user_id": None,
    }
    assert {column: review[column] for column in expected} == expected
    assert review["id"] != 4242 and review["create_time"] != 1

    staff = factories.make_user(auth=2)
    admin_headers = factories.auth_headers(staff)
    checked = []
    columns = ("user_id", "order_id", "line_id", "product_id", "sku_id", "rating", "content")
    columns += ("anonymous", "create_time")
    for route in _write_routes(app, ("/v2/review/",)):
        target = factories.make_review(customer, rating=2, content="原文")
        admin_body = {**REVIEW_PROTECTED, "rating": 5, "content": "店家回复", "anonymous": True}
        response, before, after = _write(
            client, route, Review, target.id, admin_headers, admin_body
        )
        assert response.status_code == 201, (str(route), response.get_json())
        checked.append(str(route))
        assert _changed(before, after, columns) == {}, str(route)
        if route.rule.endswith("/reply"):
            assert (after["reply"], after["reply_user_id"]) == ("店家回复", staff.id)
            assert after["visible"] == before["visible"]
        else:
            assert after["reply"] is None
    print(f"property-level review routes: {len(checked) + 1} routes covered")
    assert len(checked) == 3


def test_favorite_writes_keep_the_owner(app, client, customer, other_customer):
    from app.models import Favorite

    product = factories.make_product()
    body = {**PROTECTED, "user_id": other_customer.id, "product_id": product.id}
    response = client.post("/v1/favorite", json=body, headers=factories.auth_headers(customer))
    assert response.status_code == 201, response.get_json()
    row = snapshot(Favorite, response.get_json()["data"]["id"])
    assert (row["user_id"], row["product_id"]) == (customer.id, product.id)
    assert row["id"] != 4242 and row["create_time"] != 1
    assert db.session.query(Favorite).filter_by(user_id=other_customer.id).count() == 0


OUTBOX_COLUMNS = ("id", "kind", "path", "body", "order_id", "claim_token", "sent_time")
OUTBOX_COLUMNS += ("create_time", "last_errcode", "last_error", "lease_expire_time")


def test_outbox_write_routes_never_assign_protected_fields(app, client, super_admin):
    """Every /v2/outbox write route, sent fields naming the row's columns: the call WeChat gets
    (kind, path, body) and its history stay; only what the route is for changes (a dead row
    becomes pending with fresh tries, never `sent`)."""
    from app.models import OutboxMessage

    headers = factories.auth_headers(super_admin)
    checked, failures = [], []
    for route in _write_routes(app, ("/v2/outbox/",)):
        row = factories.make_outbox_message(state="dead", attempts=8, body={"touser": "o-1"})
        body = {
            **PROTECTED,
            "state": "sent",
            "attempts": 99,
            "kind": "message",
            "path": "/cgi-bin/evil",
            "body": {"touser": "o-evil"},
            "order_id": 4242,
            "sent_time": 1,
            "claim_token": "mine",
            "next_attempt_time": 1,
        }
        response, before, after = _write(client, route, OutboxMessage, row.id, headers, body)
        checked.append(str(route))
        assert response.status_code < 500, (str(route), response.get_json())
        changed = _changed(before, after, OUTBOX_COLUMNS)
        if changed or after["state"] not in ("dead", "pending") or after["attempts"] not in (0, 8):
            failures.append(f"{route}: {changed} state={after['state']} {after['attempts']}")
    print(f"property-level outbox routes: {len(checked)} routes covered: {checked}")
    assert checked
    assert not failures, failures


ORDER_PROTECTED = {
    **PROTECTED,
    "user_id": 4242,
    "price": "0.01",
    "total_price": "0.01",
    "total_count": 1,
    "pay_time": 1,
    "stock_released": True,
    "expire_time": 1,
    "snap_items": [],
    "add_price": "0.01",
    "goods_amount": "0.01",
    "freight_amount": "0.00",
    "coupon_discount": "19.79",
    "pay_amount": "0.01",
}


def test_order_routes_never_assign_protected_fields(app, client, customer, other_customer):
    """POST /v1/order (both forms) and /v1/order/preview with protected fields: the order is
    the caller's, unpaid, priced from the database; only the listed cart lines go."""
    headers = factories.auth_headers(customer)
    factories.make_address(customer)
    sku = factories.skus_of(factories.make_product(price="9.90", stock=10))[0]
    theirs = factories.make_cart_line(other_customer, sku, count=1)
    checked = []
    for route in routes(app, "/v1/order"):
        if route.method != "POST" or route.int_params:
            continue
        for form in ("products", "cart_item_ids"):
            line = factories.make_cart_line(customer, sku, count=2)
            lines = {
                "products": {"products": [{"product_id": sku.product_id, "count": 2}]},
                "cart_item_ids": {"cart_item_ids": [line.id]},
            }[form]
            response = call(client, route, route.path(), headers, {**ORDER_PROTECTED, **lines})
            checked.append(f"{route} {form}")
            assert response.status_code < 300, (str(route), form, response.get_json())
            data = response.get_json()["data"]
            assert data["total_price"] == "19.80", (str(route), form)
            if route.rule == "/v1/order":
                order = db.session.get(Order, data["order_id"])
                assert (order.user_id, order.order_status) == (customer.id, 1)
                assert (order.pay_time, order.stock_released) == (None, False)
                assert order.expire_time > order.create_time
            db.session.query(CartItem).filter_by(user_id=customer.id).delete()
            db.session.commit()
    assert snapshot(CartItem, theirs.id) is not None
    assert db.session.query(Order).filter(Order.user_id != customer.id).count() == 0
    print(f"property-level order routes: {checked}")
    assert len(checked) == 4


COUPON_PROTECTED = {
    **PROTECTED,
    "claimed": 99,
    "status": 2,
    "order_id": 1,
    "used_by": 4242,
    "coupon_id": 4242,
    "source": "grant",
}


def test_coupon_routes_never_assign_protected_fields(app, client, customer, super_admin):
    """Admin template writes never take `claimed`, ids or times (nor `kind` on update); a claim
    or redeem is the caller's, unused, with the template's window."""
    from app.models import Coupon, UserCoupon

    admin = factories.auth_headers(super_admin)
    body = {"name": "满100减10", "type": 1, "min_amount": "100", "amount": "10", "valid_days": 7}
    created = client.post("/v2/coupon", json={**COUPON_PROTECTED, **body}, headers=admin)
    assert created.status_code == 201, created.get_json()
    coupon = db.session.get(Coupon, created.get_json()["data"]["id"])
    assert (coupon.id, coupon.claimed, coupon.create_time) != (4242, 99, 1)
    assert coupon.claimed == 0 and coupon.valid_end is None
    updated = client.put(
        f"/v2/coupon/{coupon.id}", json={**COUPON_PROTECTED, "kind": "code"}, headers=admin
    )
    assert updated.status_code == 201, updated.get_json()
    db.session.expire_all()
    coupon = db.session.get(Coupon, coupon.id)
    assert (coupon.claimed, coupon.kind, coupon.valid_days) == (0, "claim", 7)
    headers = factories.auth_headers(customer)
    claimed = client.post(f"/v1/coupon/{coupon.id}/claim", json=COUPON_PROTECTED, headers=headers)
    assert claimed.status_code == 201, claimed.get_json()
    held = db.session.get(UserCoupon, claimed.get_json()["data"]["id"])
    assert (held.user_id, held.coupon_id, held.status, held.order_id) == (
        customer.id,
        coupon.id,
        1,
        None,
    )
    assert held.valid_end == held.valid_start + 7 * 86400 and held.source == "claim"
    code = factories.make_coupon_code(factories.make_coupon(kind="code"), "FREECODE1")
    redeemed = client.post(
        "/v1/coupon/redeem", json={**COUPON_PROTECTED, "code": "freecode1"}, headers=headers
    )
    assert redeemed.status_code == 201, redeemed.get_json()
    held = db.session.get(UserCoupon, redeemed.get_json()["data"]["id"])
    assert (held.user_id, held.coupon_id, held.status) == (customer.id, code.coupon_id, 1)
