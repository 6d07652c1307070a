"""/v1/coupon: claimable coupons, claiming, redeeming, the caller's coupons; coupons at checkout
(the preview's offers) and on payment (the notify amount is the discounted one)."""

import pytest

from app.extensions import db
from app.models import Order, OrderStatus, Payment, UserCoupon
from app.models.base import now
from tests.factories import (
    FakeWeChatPay,
    give_coupon,
    make_address,
    make_coupon,
    make_coupon_code,
    make_product,
)
from tests.helpers import error


def test_list_shows_open_claimable_coupons_with_the_callers_holding(
    client, customer, customer_headers
):
    at = now()
    open_one = make_coupon(name="满100减10", total=5, claimed=2, per_user_limit=2)
    give_coupon(customer, open_one)
    unlimited = make_coupon(name="无门槛", type=3, min_amount="0.00", amount="3.00")
    make_coupon(kind="code")
    make_coupon(kind="new_user")
    make_coupon(enabled=False)
    make_coupon(claim_start=at + 3600)
    make_coupon(claim_end=at - 1)
    make_coupon(valid_days=None, valid_start=1, valid_end=2)
    items = client.get("/v1/coupon", headers=customer_headers).get_json()["data"]["items"]
    assert [
        (item["coupon"]["id"], item["held"], item["remaining"], item["can_claim"]) for item in items
    ] == [
        (unlimited.id, 0, None, True),
        (open_one.id, 1, 2, True),
    ]
    first = items[1]["coupon"]
    assert (first["name"], first["type"], first["min_amount"], first["amount"]) == (
        "满100减10",
        1,
        "100.00",
        "10.00",
    )
    assert (first["scope"], first["valid_days"], first["per_user_limit"]) == ("all", 30, 2)


def test_claim_answers_the_copy_and_refusals_have_their_codes(client, customer_headers):
    coupon = make_coupon(total=1, valid_days=3)
    response = client.post(f"/v1/coupon/{coupon.id}/claim", headers=customer_headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["coupon_id"], data["status"], data["source"], data["order_id"]) == (
        coupon.id,
        "unused",
        "claim",
        None,
    )
    assert data["valid_end"] - data["valid_start"] == 3 * 86400
    assert data["claim_time"] == data["valid_start"] and data["coupon"]["id"] == coupon.id
    error(client.post(f"/v1/coupon/{coupon.id}/claim", headers=customer_headers), 409, 52030)
    error(client.post("/v1/coupon/999999/claim", headers=customer_headers), 404, 52010)
    sold_out = make_coupon(total=1, claimed=1)
    error(client.post(f"/v1/coupon/{sold_out.id}/claim", headers=customer_headers), 409, 52020)
    off = make_coupon(enabled=False)
    error(client.post(f"/v1/coupon/{off.id}/claim", headers=customer_headers), 409, 52050)
    closed = make_coupon(claim_end=1)
    error(client.post(f"/v1/coupon/{closed.id}/claim", headers=customer_headers), 409, 52040)


def test_redeem_codes(client, customer, customer_headers, other_headers):
    coupon = make_coupon(kind="code", name="兑换券")
    make_coupon_code(coupon, "ZX9Q2W3E4R5T")
    response = client.post(
        "/v1/coupon/redeem", json={"code": "zx9q2w3e4r5t"}, headers=customer_headers
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["source"] == "code"
    again = client.post("/v1/coupon/redeem", json={"code": "ZX9Q2W3E4R5T"}, headers=other_headers)
    error(again, 409, 52090)
    error(
        client.post("/v1/coupon/redeem", json={"code": "NOPE"}, headers=other_headers), 404, 52080
    )
    error(
        client.post("/v1/coupon/redeem", json={"code": "no-pe"}, headers=other_headers), 400, 1000
    )
    error(client.post("/v1/coupon/redeem", json={}, headers=other_headers), 400, 1000)
    assert db.session.query(UserCoupon).count() == 1


def test_mine_lists_each_status(client, customer, customer_headers, other_customer):
    unused = give_coupon(customer)
    used = give_coupon(customer, status=2)
    ended = give_coupon(customer, valid_start=1, valid_end=2)
    marked = give_coupon(customer, status=3)
    give_coupon(other_customer)

    def ids(status=None):
        query = f"?status={status}" if status else ""
        data = client.get(f"/v1/coupon/mine{query}", headers=customer_headers).get_json()["data"]
        return [item["id"] for item in data["items"]], {item["status"] for item in data["items"]}

    assert ids() == ([unused.id], {"unused"})
    assert ids("unused") == ([unused.id], {"unused"})
    assert ids("used") == ([used.id], {"used"})
    assert ids("expired") == ([marked.id, ended.id], {"expired"})
    error(client.get("/v1/coupon/mine?status=all", headers=customer_headers), 400, 1000)


def test_preview_offers_every_held_coupon_with_its_discount_or_reason(
    client, customer, customer_headers
):
    make_address(customer)
    product = make_product(price="120.00")
    small = give_coupon(customer, make_coupon(name="满100减10"))
    large = give_coupon(customer, make_coupon(name="满100减20", amount="20.00"))
    percent = give_coupon(
        customer, make_coupon(name="9折", type=2, percent=90, amount=None, min_amount="0.00")
    )
    high = give_coupon(customer, make_coupon(name="满500减50", min_amount="500.00", amount="50.00"))
    elsewhere = give_coupon(customer, make_coupon(scope="product", product_ids=[999999]))
    later = give_coupon(customer, at=now() + 3600)
    give_coupon(customer, status=2)
    body = {"products": [{"product_id": product.id, "count": 1}]}
    data = client.post("/v1/order/preview", json=body, headers=customer_headers).get_json()["data"]
    usable = [(o["user_coupon_id"], o["discount"], o["usable"]) for o in data["usable_coupons"]]
    assert usable == [
        (large.id, "20.00", True),
        (percent.id, "12.00", True),
        (small.id, "10.00", True),
    ]
    unusable = {o["user_coupon_id"]: o["reason_code"] for o in data["unusable_coupons"]}
    assert unusable == {high.id: "threshold", elsewhere.id: "scope", later.id: "not_started"}
    assert data["best_user_coupon_id"] == large.id
    # the preview applies only the coupon it is sent
    assert (data["coupon_discount"], data["pay_amount"], data["user_coupon_id"]) == (
        "0.00",
        "120.00",
        None,
    )
    chosen = client.post(
        "/v1/order/preview", json={**body, "user_coupon_id": large.id}, headers=customer_headers
    ).get_json()["data"]
    assert (chosen["coupon_discount"], chosen["pay_amount"], chosen["coupon"]["name"]) == (
        "20.00",
        "100.00",
        "满100减20",
    )
    refused = client.post(
        "/v1/order/preview", json={**body, "user_coupon_id": high.id}, headers=customer_headers
    ).get_json()["data"]
    assert refused["can_place"] is False
    assert refused["problem"]["code"] == "coupon" and "380.00 more" in refused["problem"]["reason"]
    placed = client.post(
        "/v1/order", json={**body, "user_coupon_id": high.id}, headers=customer_headers
    )
    body = error(placed, 409, 52070)
    assert body["detail"] == {"user_coupon_id": high.id, "reason": "threshold"}


def test_another_users_coupon_id_is_404(client, customer, customer_headers, other_customer):
    make_address(customer)
    theirs = give_coupon(other_customer)
    body = {
        "products": [{"product_id": make_product(price="200.00").id, "count": 1}],
        "user_coupon_id": theirs.id,
    }
    error(client.post("/v1/order/preview", json=body, headers=customer_headers), 404, 52060)
    error(client.post("/v1/order", json=body, headers=customer_headers), 404, 52060)
    assert db.session.get(UserCoupon, theirs.id).status == 1
    assert db.session.query(Order).count() == 0


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def test_notify_with_the_pre_discount_total_is_rejected(client, wechat, customer, customer_headers):
    make_address(customer)
    held = give_coupon(customer)
    body = {
        "products": [{"product_id": make_product(price="150.00").id, "count": 1}],
        "user_coupon_id": held.id,
    }
    order_id = client.post("/v1/order", json=body, headers=customer_headers).get_json()["data"][
        "order_id"
    ]
    order = db.session.get(Order, order_id)
    assert (order.goods_amount, order.pay_amount) == (150, 140)
    resource = wechat.transaction(order, amount={"total": 15000, "currency": "CNY"})
    headers, payload = wechat.notification("TRANSACTION.SUCCESS", resource)
    response = client.post("/v1/pay/notify", data=payload, headers=headers)
    assert response.status_code == 400 and response.get_json()["code"] == "FAIL"
    db.session.expire_all()
    assert db.session.get(Order, order_id).order_status == OrderStatus.UNPAID
    assert db.session.query(Payment).count() == 0
    # the discounted amount is what WeChat Pay is told and what a notification must carry
    headers, payload = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction(order))
    assert wechat.transaction(order)["amount"]["total"] == 14000
    assert client.post("/v1/pay/notify", data=payload, headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Order, order_id).order_status == OrderStatus.PAID
