"""/v1/pay: pre-order, query and the two WeChat notification routes."""

import base64
import time

import pytest
import responses
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from sqlalchemy import select

from app.extensions import db
from app.models import ErrorLog, Order, OrderEvent, OrderStatus, Payment, Product, Refund
from tests.factories import FakeWeChatPay, make_order, make_product, make_wx_identity

JSAPI = f"{FakeWeChatPay.BASE}/v3/pay/transactions/jsapi"


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _order(user, stock=5, count=1, **fields):
    return make_order(user, (make_product(price="12.50", stock=stock), count), **fields)


def _notify(client, wechat, resource, event="TRANSACTION.SUCCESS", **sign):
    headers, body = wechat.notification(event, resource, **sign)
    return client.post("/v1/pay/notify", data=body, headers=headers)


def test_pre_order_returns_signed_parameters(client, wechat, customer, customer_headers):
    make_wx_identity(customer, "openid-abc")
    order = _order(customer)
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", JSAPI, callback=wechat.answer(200, {"prepay_id": "wx123"}))
        response = client.post("/v1/pay/pre_order", json={"id": order.id}, headers=customer_headers)
        assert response.status_code == 200, response.get_json()
        sent = wechat.requests[0]
    import json

    payload = json.loads(sent.body)
    assert payload["amount"] == {"total": 1250, "currency": "CNY"}
    assert payload["payer"] == {"openid": "openid-abc"}
    assert payload["out_trade_no"] == order.order_no
    assert payload["appid"] == wechat.APP_ID and payload["mchid"] == wechat.MCHID
    assert payload["time_expire"].endswith("+08:00")
    data = response.get_json()["data"]
    assert data["package"] == "prepay_id=wx123" and data["signType"] == "RSA"
    assert len(data["nonceStr"]) == 32
    message = f"{wechat.APP_ID}\n{data['timeStamp']}\n{data['nonceStr']}\n{data['package']}\n"
    wechat.merchant_key.public_key().verify(
        base64.b64decode(data["paySign"]), message.encode(), PKCS1v15(), SHA256()
    )
    db.session.expire_all()
    assert db.session.get(Order, order.id).prepay_id == "wx123"
    # a second call within 110 minutes reuses the prepay id without calling WeChat
    with responses.RequestsMock():
        again = client.post("/v1/pay/pre_order", json={"id": order.id}, headers=customer_headers)
    assert again.get_json()["data"]["package"] == "prepay_id=wx123"


def test_pre_order_checks_in_order(client, app, monkeypatch, customer, customer_headers):
    order = _order(customer)
    response = client.post("/v1/pay/pre_order", json={"id": order.id}, headers=customer_headers)
    assert response.status_code == 503 and response.get_json()["error_code"] == 70010
    FakeWeChatPay().install(app, monkeypatch)
    response = client.post("/v1/pay/pre_order", json={"id": 999}, headers=customer_headers)
    assert response.get_json()["error_code"] == 50010
    response = client.post("/v1/pay/pre_order", json={"id": order.id}, headers=customer_headers)
    assert response.status_code == 400 and response.get_json()["error_code"] == 70020
    expired = _order(customer, expire_time=int(time.time()) - 1)
    response = client.post("/v1/pay/pre_order", json={"id": expired.id}, headers=customer_headers)
    assert response.status_code == 409 and response.get_json()["error_code"] == 50040
    paid = _order(customer, order_status=OrderStatus.PAID)
    response = client.post("/v1/pay/pre_order", json={"id": paid.id}, headers=customer_headers)
    assert response.get_json()["error_code"] == 50030


def test_pre_order_wechat_error_is_502(client, wechat, customer, customer_headers):
    make_wx_identity(customer)
    order = _order(customer)
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            "POST", JSAPI, callback=wechat.answer(400, {"code": "PARAM_ERROR", "message": "bad"})
        )
        response = client.post("/v1/pay/pre_order", json={"id": order.id}, headers=customer_headers)
    assert response.status_code == 502 and response.get_json()["error_code"] == 70030
    assert db.session.get(Order, order.id).prepay_id is None


def test_query_applies_reported_payment(client, wechat, customer, customer_headers):
    order = _order(customer, prepay_id="wx1", prepay_time=int(time.time()))
    url = f"{FakeWeChatPay.BASE}/v3/pay/transactions/out-trade-no/{order.order_no}"
    with responses.RequestsMock() as rsps:
        rsps.add_callback("GET", url, callback=wechat.answer(200, wechat.transaction(order)))
        response = client.post("/v1/pay/query", json={"id": order.id}, headers=customer_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["order_status"] == OrderStatus.PAID
    payment = db.session.scalar(select(Payment))
    assert payment.order_id == order.id and payment.amount == 1250
    event = db.session.scalars(select(OrderEvent).order_by(OrderEvent.id.desc())).first()
    assert (event.from_status, event.to_status, event.actor_type) == (1, 2, "system")


def test_notify_marks_order_paid_once(client, wechat, customer):
    order = _order(customer)
    resource = wechat.transaction(order)
    first = _notify(client, wechat, resource)
    assert first.status_code == 204 and first.data == b""
    replay = _notify(client, wechat, resource)
    assert replay.status_code == 204
    db.session.expire_all()
    stored = db.session.get(Order, order.id)
    assert stored.order_status == OrderStatus.PAID
    assert stored.pay_time == 1767240000
    assert db.session.query(Payment).count() == 1
    assert db.session.query(OrderEvent).filter_by(order_id=order.id, to_status=2).count() == 1


def test_notify_rejects_forged_signature(client, wechat, customer, caplog):
    order = _order(customer)
    response = _notify(client, wechat, wechat.transaction(order), key=wechat.forger_key)
    assert response.status_code == 401
    assert response.get_json()["code"] == "FAIL"
    assert db.session.get(Order, order.id).order_status == OrderStatus.UNPAID
    assert db.session.query(Payment).count() == 0
    # a refused notification is a client error: a warning line, no error_log row
    assert db.session.query(ErrorLog).count() == 0
    assert "NotifySignatureInvalid" in caplog.text


@pytest.mark.parametrize("sign", [{"timestamp": int(time.time()) - 600}, {"serial": "OTHER_KEY"}])
def test_notify_rejects_stale_or_unknown_key(client, wechat, customer, sign):
    order = _order(customer)
    response = _notify(client, wechat, wechat.transaction(order), **sign)
    assert response.status_code == 401
    assert db.session.query(Payment).count() == 0


def test_notify_rejects_tampered_body(client, wechat, customer):
    order = _order(customer)
    headers, body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction(order))
    response = client.post(
        "/v1/pay/notify", data=body.replace('"summary": ""', '"summary": "x"'), headers=headers
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("override", "status", "exception"),
    [
        ({"amount": {"total": 1, "currency": "CNY"}}, 400, "NotifyDataMismatch"),
        ({"appid": "wx-other"}, 400, "NotifyDataMismatch"),
        ({"mchid": "1"}, 400, "NotifyDataMismatch"),
        ({"out_trade_no": "20990101000000000000"}, 404, "NotifyOrderUnknown"),
    ],
)
def test_notify_rejects_mismatch(client, wechat, customer, override, status, exception, caplog):
    order = _order(customer)
    response = _notify(client, wechat, wechat.transaction(order, **override))
    assert response.status_code == status
    assert response.get_json()["code"] == "FAIL"
    assert db.session.get(Order, order.id).order_status == OrderStatus.UNPAID
    assert db.session.query(Payment).count() == 0
    assert db.session.query(ErrorLog).count() == 0
    assert exception in caplog.text


def test_notify_other_events_change_nothing(client, wechat, customer):
    order = _order(customer)
    response = _notify(client, wechat, wechat.transaction(order, trade_state="NOTPAY"))
    assert response.status_code == 204
    assert db.session.query(Payment).count() == 0


def test_notify_undecryptable_is_400(client, wechat, customer):
    order = _order(customer)
    headers, body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction(order))
    import json

    envelope = json.loads(body)
    envelope["resource"]["nonce"] = "000000000000"
    body = json.dumps(envelope)
    headers.update(wechat.signed_headers(body))
    response = client.post("/v1/pay/notify", data=body, headers=headers)
    assert response.status_code == 400 and response.get_json()["code"] == "FAIL"


def test_notify_after_cancel_is_paid_but_out_of(client, wechat, customer):
    order = _order(customer, stock=3, count=2)
    client.put(f"/v1/order/{order.id}/cancel", headers=_headers(customer))
    response = _notify(client, wechat, wechat.transaction(order))
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == OrderStatus.PAID_BUT_OUT_OF
    assert db.session.scalar(select(Payment.needs_refund)) is True
    product_id = db.session.get(Order, order.id).snap_items[0]["id"]
    assert db.session.get(Product, product_id).stock == 3


def test_notify_double_payment_flagged(client, wechat, customer):
    order = _order(customer)
    _notify(client, wechat, wechat.transaction(order))
    response = _notify(client, wechat, wechat.transaction(order, transaction_id="4200999"))
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == OrderStatus.PAID
    flags = db.session.scalars(select(Payment.needs_refund).order_by(Payment.id)).all()
    assert flags == [False, True]
    reasons = db.session.scalars(select(OrderEvent.reason).where(OrderEvent.order_id == order.id))
    assert any("double payment" in reason for reason in reasons)


def test_refund_notify_settles_refund(client, wechat, customer):
    order = _order(customer, stock=4, count=1)
    _notify(client, wechat, wechat.transaction(order))
    db.session.query(Order).filter_by(id=order.id).update({"order_status": OrderStatus.REFUNDING})
    payment = db.session.scalar(select(Payment))
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id,
        out_refund_no=f"R{order.order_no}-1",
        amount=1250,
        status="PROCESSING",
        reason="",
    )
    db.session.add(refund)
    db.session.commit()
    resource = {
        "mchid": wechat.MCHID,
        "out_trade_no": order.order_no,
        "out_refund_no": refund.out_refund_no,
        "refund_id": "50000001",
        "refund_status": "SUCCESS",
        "success_time": "2026-01-02T12:00:00+08:00",
        "amount": {"total": 1250, "refund": 1250, "payer_total": 1250, "payer_refund": 1250},
    }
    headers, body = wechat.notification("REFUND.SUCCESS", resource)
    response = client.post("/v1/pay/refund_notify", data=body, headers=headers)
    assert response.status_code == 204
    replay = client.post("/v1/pay/refund_notify", data=body, headers=headers)
    assert replay.status_code == 204
    db.session.expire_all()
    assert db.session.get(Refund, refund.id).status == "SUCCESS"
    assert db.session.get(Refund, refund.id).refund_id == "50000001"
    stored = db.session.get(Order, order.id)
    assert stored.order_status == OrderStatus.REFUNDED and stored.stock_released is True
    assert db.session.get(Product, order.snap_items[0]["id"]).stock == 4
    assert db.session.query(OrderEvent).filter_by(order_id=order.id, to_status=9).count() == 1
    wrong = dict(resource, amount={"refund": 1})
    headers, body = wechat.notification("REFUND.SUCCESS", wrong)
    response = client.post("/v1/pay/refund_notify", data=body, headers=headers)
    assert response.status_code == 400


def _headers(user):
    from tests.factories import auth_headers

    return auth_headers(user)
