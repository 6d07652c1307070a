"""A 409 / 50030 on an order names its current status and the statuses the action needs."""

from app.models import OrderStatus
from tests.factories import (
    FakeWeChatPay,
    auth_headers,
    make_order,
    make_product,
    make_staff,
    pay_order,
)

S = OrderStatus
DELIVERY = {"carrier": "顺丰速运", "tracking_no": "SF-009"}


def _conflict(response, current, allowed):
    body = response.get_json()
    assert response.status_code == 409, body
    assert body["error_code"] == 50030
    assert body["detail"] == {
        "order_status": int(current),
        "order_status_name": current.name,
        "allowed_statuses": sorted(int(s) for s in allowed),
        "allowed_status_names": [s.name for s in sorted(allowed)],
    }
    assert current.name in body["msg"]
    assert all(s.name in body["msg"] for s in allowed)
    return body


def _paid(user):
    order = make_order(user, (make_product(stock=5), 1))
    pay_order(order)
    return order


def test_deliver_order_when_unpaid_names_unpaid_and_the_deliverable_statuses(client, customer):
    headers = auth_headers(make_staff(("订单", "订单发货")))
    order = make_order(customer, (make_product(stock=5), 1))
    response = client.put(f"/v2/order/{order.id}/delivery", json=DELIVERY, headers=headers)
    body = _conflict(response, S.UNPAID, [S.PAID, S.HANDLED_OUT_OF])
    assert body["msg"] == "The order is UNPAID; this action needs it PAID or HANDLED_OUT_OF"


def test_cancel_order_when_paid_names_paid_and_unpaid(client, customer, customer_headers):
    order = _paid(customer)
    response = client.put(f"/v1/order/{order.id}/cancel", headers=customer_headers)
    _conflict(response, S.PAID, [S.UNPAID])


def test_receive_order_when_unpaid_names_unpaid_and_delivered(client, customer, customer_headers):
    order = make_order(customer, (make_product(stock=5), 1))
    response = client.put(f"/v1/order/{order.id}/receive", headers=customer_headers)
    _conflict(response, S.UNPAID, [S.DELIVERED])


def test_restock_order_when_paid_names_paid_and_paid_but_out_of(client, customer):
    headers = auth_headers(make_staff(("订单", "处理缺货订单")))
    order = _paid(customer)
    response = client.put(f"/v2/order/{order.id}/restock", headers=headers)
    _conflict(response, S.PAID, [S.PAID_BUT_OUT_OF])


def test_refund_order_when_unpaid_names_unpaid_and_the_refundable_statuses(
    app, client, customer, monkeypatch
):
    FakeWeChatPay().install(app, monkeypatch)
    headers = auth_headers(make_staff(("订单", "订单退款")))
    order = make_order(customer, (make_product(stock=5), 1))
    response = client.post(f"/v2/order/{order.id}/refund", json={"reason": "x"}, headers=headers)
    _conflict(response, S.UNPAID, [S.PAID, S.PAID_BUT_OUT_OF, S.HANDLED_OUT_OF, S.REFUND_FAILED])
