"""Subscription messages: queued with the event's business change when a template is configured
(config parameters), with the exact subscribe/send body; nothing queued otherwise."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OrderStatus, OutboxMessage
from app.services import orders
from app.services.wechat_platform import messages
from tests.factories import (
    SUBSCRIBE_SEND_URL,
    make_config,
    make_order,
    make_product,
    make_user,
    make_wechat_paid_order,
    make_wechat_user,
    pay_order,
)
from tests.services.wechat_platform import sent_by_the_outbox

PAID_TEMPLATE = {
    "template_id": "TPL-PAID",
    "page": "pages/order/detail?id={order_id}",
    "data": {
        "character_string1": "{order_no}",
        "amount2": "{total_price}",
        "thing3": "{snap_name}",
        "time4": "{pay_time}",
    },
    "miniprogram_state": "trial",
    "lang": "zh_CN",
}


def _template(key, template):
    return make_config(key=key, value=json.dumps(template, ensure_ascii=False), value_type="json")


def _messages() -> list[OutboxMessage]:
    db.session.rollback()
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "message").order_by(OutboxMessage.id)
    ).all()


def _unpaid_order(openid="o-buyer", name="进口芒果干"):
    user = make_wechat_user(openid)
    return make_order(user, (make_product(name=name, price="12.50", stock=9), 2))


def test_payment_queues_the_paid_message_with_the_exact_body(app):
    _template(messages.ORDER_PAID, PAID_TEMPLATE)
    order = _unpaid_order()
    assert pay_order(order) == "paid"
    [row] = _messages()
    assert (row.path, row.order_id, row.state) == (
        "/cgi-bin/message/subscribe/send",
        order.id,
        "pending",
    )
    assert row.body == {
        "touser": "o-buyer",
        "template_id": "TPL-PAID",
        "data": {
            "character_string1": {"value": order.order_no},
            "amount2": {"value": "25.00"},
            "thing3": {"value": "进口芒果干"},
            "time4": {"value": "2026-01-01 12:00"},  # success_time 1767240000 in Asia/Shanghai
        },
        "page": f"pages/order/detail?id={order.id}",
        "miniprogram_state": "trial",
        "lang": "zh_CN",
    }


def test_no_template_configured_queues_nothing(app):
    order = _unpaid_order()
    pay_order(order)
    make_config(key=messages.ORDER_PAID, value='{"template_id": "", "data": {}}', value_type="json")
    other = _unpaid_order(openid="o-2")
    pay_order(other)
    assert _messages() == []


@pytest.mark.parametrize(
    "value",
    [
        '{"template_id": "T", "data": {"thing1": "{secret_key}"}}',  # unknown placeholder
        '{"template_id": "T", "data": {"thing1": 5}}',  # not text
        '{"template_id": "T"}',  # no data
        '"just text"',
    ],
)
def test_unusable_template_queues_nothing_and_the_payment_still_counts(app, value):
    make_config(key=messages.ORDER_PAID, value=value, value_type="json")
    order = _unpaid_order()
    assert pay_order(order) == "paid"
    assert _messages() == []
    assert db.session.get(type(order), order.id).order_status == OrderStatus.PAID


def test_customer_without_wechat_openid_gets_no_message(app):
    _template(messages.ORDER_PAID, PAID_TEMPLATE)
    order = make_order(make_user(), (make_product(stock=5), 1))
    pay_order(order)
    assert _messages() == []


def test_thing_values_are_cut_to_what_wechat_accepts(app):
    template = {
        "template_id": "T",
        "data": {
            "thing1": "{snap_name}",
            "phrase2": "已支付成功",
            "character_string3": "{order_no}",
        },
    }
    _template(messages.ORDER_PAID, template)
    order = _unpaid_order(name="一二三四五六七八九十一二三四五六七八九十超出")
    pay_order(order)
    [row] = _messages()
    assert row.body["data"]["thing1"] == {"value": "一二三四五六七八九十一二三四五六七八九十"}
    assert row.body["data"]["phrase2"] == {"value": "已支付成功"}
    assert row.body["data"]["character_string3"] == {"value": order.order_no}
    assert "page" not in row.body and "miniprogram_state" not in row.body


def test_replayed_payment_queues_no_second_message(app):
    _template(messages.ORDER_PAID, PAID_TEMPLATE)
    order = _unpaid_order()
    pay_order(order)
    assert pay_order(order) == "replay"
    assert len(_messages()) == 1


def test_delivery_queues_the_delivered_message(app):
    template = {
        "template_id": "TPL-SHIP",
        "data": {"thing1": "{carrier}", "character_string2": "{tracking_no}", "time3": "{now}"},
    }
    _template(messages.ORDER_DELIVERED, template)
    order = make_wechat_paid_order(openid="o-ship")
    orders.deliver_order(order.id, make_user(auth=2).id, "SF", "SF-100")
    [row] = _messages()
    assert row.body["touser"] == "o-ship" and row.body["template_id"] == "TPL-SHIP"
    assert row.body["data"]["thing1"] == {"value": "SF"}
    assert row.body["data"]["character_string2"] == {"value": "SF-100"}


def test_settled_refund_queues_the_refund_message(app):
    template = {
        "template_id": "TPL-REFUND",
        "data": {"amount1": "{refund_amount}", "thing2": "{refund_reason}"},
    }
    _template(messages.REFUND_SETTLED, template)
    order = make_wechat_paid_order(openid="o-refund")
    refund = orders.start_refund(order, make_user(auth=2).id, "不想要了")
    assert _messages() == []  # nothing while the refund is processing
    assert orders.settle_refund(refund.id, "SUCCESS", actor_type="wechat")
    [row] = _messages()
    assert row.body["data"] == {"amount1": {"value": "19.80"}, "thing2": {"value": "不想要了"}}
    assert orders.settle_refund(refund.id, "SUCCESS", actor_type="wechat") is False
    assert len(_messages()) == 1


def test_failed_refund_queues_no_refund_message(app):
    _template(messages.REFUND_SETTLED, {"template_id": "T", "data": {"thing1": "x"}})
    order = make_wechat_paid_order()
    refund = orders.start_refund(order, make_user(auth=2).id, "")
    orders.settle_refund(refund.id, "ABNORMAL", actor_type="wechat")
    assert _messages() == []


def test_after_sale_decision_queues_its_message_in_the_callers_transaction(app):
    template = {"template_id": "TPL-AS", "data": {"phrase1": "{decision}", "thing2": "{reason}"}}
    _template(messages.AFTER_SALE_DECIDED, template)
    order = make_wechat_paid_order(openid="o-as")
    row = messages.queue_after_sale_decided(order.id, approved=False, reason="商品已拆封")
    assert row is not None and _messages() == []  # not committed by the function
    row = messages.queue_after_sale_decided(order.id, approved=True, reason="")
    db.session.commit()
    [stored] = _messages()
    assert stored.body["data"] == {"phrase1": {"value": "同意"}, "thing2": {"value": ""}}


def test_queued_message_is_sent_by_the_outbox(app, wx):
    _template(messages.ORDER_PAID, PAID_TEMPLATE)
    order = _unpaid_order()
    pay_order(order)
    [row] = _messages()
    assert json.loads(sent_by_the_outbox(wx, SUBSCRIBE_SEND_URL).body) == row.body
