"""/v2/order (and /cms/order): listing, detail, delivery, cancel, refund, restock."""

import json

import pytest
import responses
from sqlalchemy import select

from app.extensions import db
from app.models import Order, OrderEvent, OrderStatus, Payment, Product, Refund
from app.services import orders
from tests.factories import (
    FakeWeChatPay,
    auth_headers,
    make_order,
    make_product,
    make_staff,
    make_user,
    pay_order,
)

MODULE = "订单"
REFUNDS = f"{FakeWeChatPay.BASE}/v3/refund/domestic/refunds"


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _staff_headers(*names):
    return auth_headers(make_staff(*[(MODULE, name) for name in names]))


def _paid_order(user, wechat=None, price="20.00", stock=5, count=1):
    order = make_order(user, (make_product(price=price, stock=stock), count))
    pay_order(order)
    db.session.expire_all()
    return db.session.get(Order, order.id)


def _stock(order) -> int:
    db.session.expire_all()
    return db.session.get(Product, order.snap_items[0]["id"]).stock


def test_list_orders_filters(client, customer, other_customer):
    headers = _staff_headers("查询订单列表")
    product = make_product(stock=50)
    a = make_order(customer, (product, 1), create_time=1000)
    b = make_order(other_customer, (product, 1), create_time=2000, order_status=2)
    for prefix in ("/v2", "/cms"):
        data = client.get(f"{prefix}/order/list", headers=headers).get_json()["data"]
        assert [item["id"] for item in data["items"]] == [b.id, a.id]
        assert data["items"][0]["user_nickname"] == "Other"
        assert data["items"][0]["create_time"].count(":") == 2
    assert client.get("/v2/order/list?status=2", headers=headers).get_json()["data"]["total"] == 1
    found = client.get(f"/v2/order/search?order_no={a.order_no}", headers=headers).get_json()
    assert [item["id"] for item in found["data"]["items"]] == [a.id]
    ranged = client.get("/v2/order/list?start=1500&end=2000.9", headers=headers).get_json()
    assert [item["id"] for item in ranged["data"]["items"]] == [b.id]
    by_user = client.get(f"/v2/order/list/by_user?uid={customer.id}", headers=headers).get_json()
    assert [item["id"] for item in by_user["data"]["items"]] == [a.id]
    everyone = client.get("/v2/order/list/by_user", headers=headers).get_json()
    assert everyone["data"]["total"] == 2
    assert client.get("/v2/order/list?status=x", headers=headers).status_code == 400


def test_order_routes_need_permission(client, customer, customer_headers):
    order = make_order(customer, (make_product(), 1))
    assert client.get("/v2/order/list", headers=customer_headers).status_code == 403
    wrong = _staff_headers("订单发货")
    assert client.get(f"/v2/order/{order.id}", headers=wrong).status_code == 403
    response = client.put(f"/v2/order/{order.id}/cancel", headers=wrong)
    assert response.status_code == 403
    assert db.session.get(Order, order.id).order_status == OrderStatus.UNPAID


def test_get_order_detail_has_history(client, customer):
    order = _paid_order(customer)
    headers = _staff_headers("查询订单列表")
    data = client.get(f"/v2/order/{order.id}", headers=headers).get_json()["data"]
    assert data["stock_released"] is False
    assert [(e["from_status"], e["to_status"]) for e in data["events"]] == [(None, 1), (1, 2)]
    assert data["payments"][0]["amount"] == "20.00"
    assert data["payments"][0]["success_time"] == "2026-01-01 12:00:00"
    assert data["refunds"] == []
    assert "prepay_id" not in data and "payer_openid" not in data["payments"][0]
    assert client.get("/v2/order/9999", headers=headers).get_json()["error_code"] == 50010


def test_deliver_order_both_paths(client, customer):
    headers = _staff_headers("订单发货")
    first, second = _paid_order(customer), _paid_order(customer)
    body = {"carrier": "顺丰速运", "tracking_no": "SF-001"}
    response = client.put(f"/v2/order/{first.id}/delivery", json=body, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["order_status"] == OrderStatus.DELIVERED
    response = client.put(f"/v2/order/delivery?order_id={second.id}", json=body, headers=headers)
    assert response.status_code == 201
    db.session.expire_all()
    stored = db.session.get(Order, second.id)
    assert stored.carrier == "顺丰速运" and stored.tracking_no == "SF-001"
    again = client.put(f"/v2/order/{first.id}/delivery", json=body, headers=headers)
    assert again.status_code == 409
    bad = client.put(
        f"/v2/order/{first.id}/delivery", json={**body, "tracking_no": "a b"}, headers=headers
    )
    assert bad.status_code == 400
    unpaid = make_order(customer, (make_product(), 1))
    response = client.put(f"/v2/order/{unpaid.id}/delivery", json=body, headers=headers)
    assert response.get_json()["error_code"] == 50030


def test_admin_cancel_releases_stock(client, customer):
    headers = _staff_headers("取消订单")
    order = make_order(customer, (make_product(stock=4), 3))
    response = client.put(f"/v2/order/{order.id}/cancel", json={"reason": "fraud"}, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["order_status"] == OrderStatus.CANCELLED
    assert _stock(order) == 4
    event = db.session.scalars(select(OrderEvent).order_by(OrderEvent.id.desc())).first()
    assert (event.actor_type, event.reason) == ("admin", "fraud")


def test_refund_order_success(client, wechat, customer):
    headers = _staff_headers("订单退款")
    order = _paid_order(customer, stock=5, count=2)
    assert _stock(order) == 3
    answer = {"refund_id": "5001", "out_refund_no": f"R{order.order_no}-1", "status": "SUCCESS"}
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS, callback=wechat.answer(200, answer))
        response = client.post(
            f"/v2/order/{order.id}/refund", json={"reason": "out of stock"}, headers=headers
        )
        sent = json.loads(wechat.requests[0].body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["order_status"] == OrderStatus.REFUNDED
    assert data["refunds"][0]["out_refund_no"] == f"R{order.order_no}-1"
    assert data["refunds"][0]["status"] == "SUCCESS" and data["refunds"][0]["amount"] == "40.00"
    assert sent["amount"] == {"refund": 4000, "total": 4000, "currency": "CNY"}
    assert sent["notify_url"].endswith("/v1/pay/refund_notify")
    assert _stock(order) == 5


def test_refund_order_rejected_then_retried(client, wechat, customer):
    headers = _staff_headers("订单退款")
    order = _paid_order(customer)
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            "POST", REFUNDS, callback=wechat.answer(403, {"code": "NOT_ENOUGH", "message": "no"})
        )
        response = client.post(f"/v2/order/{order.id}/refund", headers=headers)
    assert response.status_code == 502 and response.get_json()["error_code"] == 70030
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == OrderStatus.REFUND_FAILED
    assert db.session.scalar(select(Refund.status)) == "ABNORMAL"
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS, callback=wechat.answer(200, {"status": "PROCESSING"}))
        response = client.post(f"/v2/order/{order.id}/refund", headers=headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["order_status"] == OrderStatus.REFUNDING
    assert [r["out_refund_no"][-2:] for r in data["refunds"]] == ["-1", "-2"]


def test_refund_order_unreachable_keeps_refunding(client, wechat, customer):
    headers = _staff_headers("订单退款")
    order = _paid_order(customer)
    with responses.RequestsMock():  # no registered URL: the connection is refused
        response = client.post(f"/v2/order/{order.id}/refund", headers=headers)
    assert response.status_code == 502
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == OrderStatus.REFUNDING
    assert db.session.scalar(select(Refund.status)) == "PROCESSING"


def test_refund_order_checks(client, customer, app, monkeypatch):
    headers = _staff_headers("订单退款")
    order = _paid_order(customer)
    response = client.post(f"/v2/order/{order.id}/refund", headers=headers)
    assert response.status_code == 503 and response.get_json()["error_code"] == 70010
    FakeWeChatPay().install(app, monkeypatch)
    unpaid = make_order(customer, (make_product(), 1))
    response = client.post(f"/v2/order/{unpaid.id}/refund", headers=headers)
    assert response.status_code == 409 and response.get_json()["error_code"] == 50030
    assert db.session.query(Refund).count() == 0


def test_restock_order(client, customer):
    headers = _staff_headers("处理缺货订单")
    order = make_order(customer, (make_product(stock=2), 2))
    orders.cancel_order(order.id, "system")
    _paid_order_record(order)
    db.session.query(Product).update({"stock": 1})
    db.session.commit()
    response = client.put(f"/v2/order/{order.id}/restock", headers=headers)
    assert response.status_code == 409 and response.get_json()["error_code"] == 50020
    db.session.query(Product).update({"stock": 2})
    db.session.commit()
    response = client.put(f"/v2/order/{order.id}/restock", headers=headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["order_status"] == OrderStatus.HANDLED_OUT_OF and data["stock_released"] is False
    assert _stock(order) == 0
    again = client.put(f"/v2/order/{order.id}/restock", headers=headers)
    assert again.get_json()["error_code"] == 50030


def _paid_order_record(order):
    outcome = pay_order(order)
    assert outcome == "paid_but_out_of"
    assert db.session.scalar(select(Payment.needs_refund)) is True


def test_super_admin_sees_orders(client, super_headers):
    make_order(make_user(), (make_product(), 1))
    response = client.get("/cms/order/list", headers=super_headers)
    assert response.status_code == 200 and response.get_json()["data"]["total"] == 1
