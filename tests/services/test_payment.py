"""The WeChat Pay service: notification checks, cancel/expiry settlement, refund queries."""

import base64
import json
import time

import pytest
import responses
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from sqlalchemy import select

from app.core.exceptions import NotifySignatureInvalid, ParameterException
from app.extensions import db
from app.models import Order, OrderEvent, OrderStatus, Payment, Product, Refund
from app.services import orders, payment
from tests.factories import FakeWeChatPay, auth_headers, make_order, make_product

S = OrderStatus
BASE = FakeWeChatPay.BASE


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _prepaid_order(user, **fields):
    return make_order(
        user,
        (make_product(price="8.00", stock=5), 2),
        prepay_id="wx-prepay",
        prepay_time=int(time.time()),
        **fields,
    )


def _status(order_id):
    db.session.expire_all()
    return db.session.get(Order, order_id).order_status


def _query_url(order):
    return f"{BASE}/v3/pay/transactions/out-trade-no/{order.order_no}"


def _close_url(order):
    return f"{BASE}/v3/pay/transactions/out-trade-no/{order.order_no}/close"


def test_is_configured_needs_every_key(app, monkeypatch, wechat):
    assert payment.is_configured()
    monkeypatch.setitem(app.config, "WECHATPAY_PUBLIC_KEY", "")
    assert not payment.is_configured()


def test_pem_with_escaped_newlines_is_accepted(app, monkeypatch, wechat):
    escaped = wechat.config()["WECHATPAY_PRIVATE_KEY"].replace("\n", "\\n")
    monkeypatch.setitem(app.config, "WECHATPAY_PRIVATE_KEY", escaped)
    params = payment.pay_parameters("wx1")
    message = f"{wechat.APP_ID}\n{params['timeStamp']}\n{params['nonceStr']}\nprepay_id=wx1\n"
    wechat.merchant_key.public_key().verify(
        base64.b64decode(params["paySign"]), message.encode(), PKCS1v15(), SHA256()
    )


def test_verify_notification_decrypts_resource(wechat):
    headers, body = wechat.notification("TRANSACTION.SUCCESS", {"out_trade_no": "1"})
    message = payment.verify_notification(headers, body.encode())
    assert message == {"event_type": "TRANSACTION.SUCCESS", "resource": {"out_trade_no": "1"}}


@pytest.mark.parametrize(
    "options",
    [
        {"skew": 400},
        {"serial": "OTHER"},
        {"key": "forger"},
    ],
)
def test_verify_notification_rejects(wechat, options):
    if options.get("key") == "forger":
        options = {"key": wechat.forger_key}
    if "skew" in options:  # computed now, not when the test was collected
        options = {"timestamp": int(time.time()) + options["skew"]}
    headers, body = wechat.notification("TRANSACTION.SUCCESS", {}, **options)
    with pytest.raises(NotifySignatureInvalid):
        payment.verify_notification(headers, body.encode())


def test_verify_notification_wrong_apiv3_key_is_400(app, monkeypatch, wechat):
    headers, body = wechat.notification("TRANSACTION.SUCCESS", {"a": 1})
    monkeypatch.setitem(app.config, "WECHATPAY_APIV3_KEY", "x" * 32)
    with pytest.raises(ParameterException):
        payment.verify_notification(headers, body.encode())


def test_cancel_applies_payment_reported_by_wechat(client, wechat, customer):
    order = _prepaid_order(customer)
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            "GET", _query_url(order), callback=wechat.answer(200, wechat.transaction(order))
        )
        response = client.put(f"/v1/order/{order.id}/cancel", headers=auth_headers(customer))
    assert response.status_code == 409 and response.get_json()["error_code"] == 50030
    assert _status(order.id) == S.PAID
    event = db.session.scalars(select(OrderEvent).order_by(OrderEvent.id.desc())).first()
    assert event.actor_type == "system" and event.to_status == S.PAID


def test_cancel_closes_wechat_order_first(client, wechat, customer):
    order = _prepaid_order(customer)
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            "GET",
            _query_url(order),
            callback=wechat.answer(200, wechat.transaction(order, trade_state="NOTPAY")),
        )
        rsps.add_callback("POST", _close_url(order), callback=wechat.answer(204, None))
        response = client.put(f"/v1/order/{order.id}/cancel", headers=auth_headers(customer))
        assert [r.method for r in wechat.requests] == ["GET", "POST"]
    assert response.status_code == 201
    assert _status(order.id) == S.CANCELLED


def test_cancel_when_wechat_unreachable_still_cancels(client, wechat, customer):
    order = _prepaid_order(customer)
    with responses.RequestsMock():
        response = client.put(f"/v1/order/{order.id}/cancel", headers=auth_headers(customer))
    assert response.status_code == 201
    assert _status(order.id) == S.CANCELLED
    db.session.expire_all()
    assert db.session.get(Product, order.snap_items[0]["id"]).stock == 5


def test_expiry_queries_wechat_before_cancelling(wechat, customer):
    paid = _prepaid_order(customer, expire_time=int(time.time()) - 10)
    unpaid = _prepaid_order(customer, expire_time=int(time.time()) - 10)
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            "GET", _query_url(paid), callback=wechat.answer(200, wechat.transaction(paid))
        )
        rsps.add_callback(
            "GET",
            _query_url(unpaid),
            callback=wechat.answer(200, {"trade_state": "NOTPAY"}),
        )
        rsps.add_callback("POST", _close_url(unpaid), callback=wechat.answer(204, None))
        report = orders.expire_orders()
    assert report["cancelled"] == 1 and report["paid"] == 1
    assert _status(paid.id) == S.PAID and _status(unpaid.id) == S.CANCELLED
    assert db.session.scalar(select(Payment.order_id)) == paid.id


def test_processing_refunds_are_settled_by_query(wechat, customer):
    order = make_order(customer, (make_product(stock=3), 1), order_status=S.REFUNDING)
    db.session.add(
        Payment(
            order_id=order.id,
            user_id=customer.id,
            transaction_id="tx-1",
            out_trade_no=order.order_no,
            amount=990,
            trade_state="SUCCESS",
            raw={},
        )
    )
    db.session.flush()
    refund = Refund(
        order_id=order.id,
        payment_id=db.session.scalar(select(Payment.id)),
        out_refund_no=f"R{order.order_no}-1",
        amount=990,
        status="PROCESSING",
        create_time=int(time.time()) - 3600,
    )
    db.session.add(refund)
    db.session.commit()
    url = f"{BASE}/v3/refund/domestic/refunds/{refund.out_refund_no}"
    with responses.RequestsMock() as rsps:
        rsps.add_callback("GET", url, callback=wechat.answer(200, {"status": "CLOSED"}))
        assert payment.query_processing_refunds() == 1
    assert _status(order.id) == S.REFUND_FAILED
    db.session.expire_all()
    assert db.session.get(Refund, refund.id).status == "CLOSED"
    assert db.session.get(Order, order.id).stock_released is False


def test_gateway_answer_with_bad_signature_is_rejected(wechat, customer):
    order = _prepaid_order(customer)
    text = json.dumps(wechat.transaction(order))

    def forged(request):
        headers = wechat.signed_headers(text, key=wechat.forger_key)
        headers["Content-Type"] = "application/json"
        return 200, headers, text

    with responses.RequestsMock() as rsps:
        rsps.add_callback("GET", _query_url(order), callback=forged)
        with pytest.raises(payment.GatewayError):
            payment.query_transaction(order.order_no)
    assert _status(order.id) == S.UNPAID
