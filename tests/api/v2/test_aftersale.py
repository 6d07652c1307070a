"""/v2/aftersale (and /cms/aftersale): list and search, detail with events and refunds,
approve, reject, receive with restock, retry a failed refund, permissions."""

import json

import pytest
import responses
from sqlalchemy import select

from app.extensions import db
from app.models import AfterSale, Order, OrderStatus, Product, Refund
from tests.factories import (
    REFUNDS_URL,
    FakeWeChatPay,
    auth_headers,
    make_after_sale,
    make_paid_order,
    make_product,
    make_staff,
    refund_answers,
)
from tests.helpers import error

MODULE = "售后"


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _staff(*names):
    return auth_headers(make_staff(*[(MODULE, name) for name in names]))


def test_list_and_search(client, customer, other_customer):
    headers = _staff("查询售后列表")
    a = make_after_sale(customer)
    b = make_after_sale(other_customer)
    db.session.query(AfterSale).filter_by(id=a.id).update({"create_time": 1000})
    db.session.commit()
    for prefix in ("/v2", "/cms"):
        data = client.get(f"{prefix}/aftersale/list", headers=headers).get_json()["data"]
        assert [item["id"] for item in data["items"]] == [b.id, a.id]
        assert data["items"][0]["user_nickname"] == "Other"
        assert data["items"][0]["create_time"].count(":") == 2
    order_no = db.session.get(Order, a.order_id).order_no
    found = client.get(f"/v2/aftersale/search?order_no={order_no}", headers=headers).get_json()
    assert [item["id"] for item in found["data"]["items"]] == [a.id]
    by_user = client.get(f"/v2/aftersale/list?user_id={other_customer.id}", headers=headers)
    assert [item["id"] for item in by_user.get_json()["data"]["items"]] == [b.id]
    ranged = client.get("/v2/aftersale/list?start=500&end=1500", headers=headers).get_json()
    assert [item["id"] for item in ranged["data"]["items"]] == [a.id]
    assert (
        client.get("/v2/aftersale/list?status=6", headers=headers).get_json()["data"]["total"] == 0
    )
    error(client.get("/v2/aftersale/list?status=9", headers=headers), 400, 1000)


def test_customers_and_staff_without_the_permission_get_403(client, customer, customer_headers):
    request = make_after_sale(customer)
    other_staff = _staff("查询售后列表")
    error(client.get("/v2/aftersale/list", headers=customer_headers), 403, 1004)
    error(client.put(f"/v2/aftersale/{request.id}/approve", headers=customer_headers), 403, 1004)
    error(client.put(f"/v2/aftersale/{request.id}/approve", headers=other_staff), 403, 1004)
    assert db.session.get(AfterSale, request.id).status == 1


def test_approve_a_refund_only_refunds_at_once(client, wechat, customer):
    headers = _staff("审核售后", "查询售后列表")
    order = make_paid_order(customer, (make_product(price="8.00", stock=9), 3))
    request = make_after_sale(customer, order, lines=None)
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        response = client.put(
            f"/v2/aftersale/{request.id}/approve", json={"reason": "同意"}, headers=headers
        )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["status"], data["admin_reason"], data["amount"]) == (5, "同意", "24.00")
    assert [(r["status"], r["amount"]) for r in data["refunds"]] == [("SUCCESS", "24.00")]
    assert [e["to_status"] for e in data["events"]] == [1, 4, 5]
    assert (
        json.loads(wechat.requests[0].body)["out_refund_no"] == data["refunds"][0]["out_refund_no"]
    )
    order_detail = client.get(f"/v1/order/{order.id}", headers=auth_headers(customer))
    assert order_detail.get_json()["data"]["order_status"] == OrderStatus.REFUNDED
    error(client.put(f"/v2/aftersale/{request.id}/approve", headers=headers), 409, 53060)
    detail = client.get(f"/v2/aftersale/{request.id}", headers=headers).get_json()["data"]
    assert detail["handler_id"] is not None and detail["user_id"] == customer.id


def test_approve_without_wechat_pay_is_503_and_changes_nothing(client, customer):
    request = make_after_sale(customer)
    error(client.put(f"/v2/aftersale/{request.id}/approve", headers=_staff("审核售后")), 503, 70010)
    assert db.session.get(AfterSale, request.id).status == 1


def test_reject_needs_a_reason(client, customer):
    headers = _staff("审核售后")
    request = make_after_sale(customer)
    error(client.put(f"/v2/aftersale/{request.id}/reject", headers=headers), 400, 1000)
    response = client.put(
        f"/v2/aftersale/{request.id}/reject", json={"reason": "已超出范围"}, headers=headers
    )
    assert response.status_code == 201
    assert (response.get_json()["data"]["status"], response.get_json()["data"]["admin_reason"]) == (
        6,
        "已超出范围",
    )
    # the line is free again
    assert make_after_sale(customer, db.session.get(Order, request.order_id)).status == 1


def test_receive_returned_goods_with_restock(client, wechat, customer):
    headers = _staff("审核售后", "售后收货退款", "售后入库")
    product = make_product(price="5.00", stock=9)
    order = make_paid_order(customer, (product, 2), delivered=True)
    request = make_after_sale(customer, order, type=2)
    assert client.put(f"/v2/aftersale/{request.id}/approve", headers=headers).status_code == 201
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        response = client.put(
            f"/v2/aftersale/{request.id}/receive", json={"restock": True}, headers=headers
        )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["status"], data["restocked"]) == (5, True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 9
    error(client.put(f"/v2/aftersale/{request.id}/restock", headers=headers), 409, 53060)
    assert db.session.get(Product, product.id).stock == 9


def test_failed_refund_is_shown_and_retried(client, wechat, customer):
    headers = _staff("审核售后", "售后收货退款", "查询售后列表")
    request = make_after_sale(customer)
    refused = refund_answers(wechat, http_status=403, error={"code": "NOT_ENOUGH", "message": "x"})
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refused)
        error(client.put(f"/v2/aftersale/{request.id}/approve", headers=headers), 502, 70030)
    detail = client.get(f"/v2/aftersale/{request.id}", headers=headers).get_json()["data"]
    assert detail["status"] == 8 and detail["refunds"][0]["status"] == "ABNORMAL"
    listed = client.get("/v2/aftersale/list?status=8", headers=headers).get_json()["data"]
    assert [item["id"] for item in listed["items"]] == [request.id]
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        response = client.put(f"/v2/aftersale/{request.id}/refund", headers=headers)
    assert response.status_code == 201
    assert [r["status"] for r in response.get_json()["data"]["refunds"]] == ["ABNORMAL", "SUCCESS"]


def test_full_order_refund_waits_for_open_after_sales(client, wechat, customer):
    request = make_after_sale(customer)
    headers = auth_headers(make_staff(("订单", "订单退款")))
    body = error(client.post(f"/v2/order/{request.order_id}/refund", headers=headers), 409, 53080)
    assert body["detail"] == {"after_sale_ids": [request.id]}
    assert db.session.scalar(select(Refund.id)) is None
