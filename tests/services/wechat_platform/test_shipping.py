"""Shipping upload: queued in the delivery's transaction for WeChat Pay orders only, with the
exact body WeChat expects; carriers checked against WeChat's list or the bundled one."""

import json

import pytest
import requests
import responses
from sqlalchemy import event, func, select, update

from app.core.exceptions import ParameterException
from app.extensions import db
from app.models import Order, OrderStatus, OutboxMessage, Payment
from app.services import orders
from app.services.wechat_platform import shipping
from tests.factories import (
    DELIVERY_LIST_URL,
    SHIPPING_UPLOAD_URL,
    WX_MCHID,
    answer_stable_token,
    make_order,
    make_product,
    make_user,
    make_wechat_paid_order,
    pay_order,
)
from tests.services.wechat_platform import sent_by_the_outbox


def _rows() -> list[OutboxMessage]:
    db.session.rollback()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _deliver(order, carrier="顺丰速运", tracking_no="SF-001", **options):
    admin = make_user(auth=2)
    return orders.deliver_order(order.id, admin.id, carrier, tracking_no, **options)


def test_delivery_queues_the_upload_with_the_exact_body(app):
    order = make_wechat_paid_order(openid="o-payer", mobile="18912341234")
    delivered = _deliver(order)
    [row] = _rows()
    assert (row.kind, row.path, row.order_id, row.state) == (
        "shipping",
        "/wxa/sec/order/upload_shipping_info",
        order.id,
        "pending",
    )
    assert row.body == {
        "order_key": {"order_number_type": 1, "mchid": WX_MCHID, "out_trade_no": order.order_no},
        "logistics_type": 1,
        "delivery_mode": 1,
        "shipping_list": [
            {
                "item_desc": "芒果干*2",
                "tracking_no": "SF-001",
                "express_company": "SF",
                "contact": {"receiver_contact": "189****1234"},
            }
        ],
        "upload_time": shipping.rfc3339(delivered.delivery_time),
        "payer": {"openid": "o-payer"},
    }
    assert row.body["upload_time"].endswith("+08:00") and "T" in row.body["upload_time"]


def test_upload_is_sent_as_queued(app, wx):
    order = make_wechat_paid_order()
    _deliver(order)
    [row] = _rows()
    request = sent_by_the_outbox(wx, SHIPPING_UPLOAD_URL)
    assert json.loads(request.body) == row.body
    assert request.params == {"access_token": "ACCESS-1"}


def test_rfc3339_has_the_configured_offset(app):
    assert shipping.rfc3339(1767240000) == "2026-01-01T12:00:00+08:00"
    app.config["TIMEZONE"] = "UTC"
    try:
        assert shipping.rfc3339(1767240000) == "2026-01-01T04:00:00+00:00"
    finally:
        app.config["TIMEZONE"] = "Asia/Shanghai"


@pytest.mark.parametrize(
    "mobile,masked",
    [
        ("18912341234", "189****1234"),
        ("+86 189-1234-1234", "861******1234"),
        ("88886666", "888*6666"),
        ("12345", "*2345"),
        ("123", None),
        ("", None),
        (None, None),
    ],
)
def test_mask_mobile_keeps_the_last_four_digits(mobile, masked):
    assert shipping.mask_mobile(mobile) == masked


def test_payment_without_openid_or_mchid_uses_the_identity_and_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "WECHATPAY_MCHID", "1900000002")
    order = make_wechat_paid_order(openid="o-identity")
    db.session.execute(update(Payment).values(payer_openid="", raw={}))
    db.session.commit()
    _deliver(order)
    [row] = _rows()
    assert row.body["payer"] == {"openid": "o-identity"}
    assert row.body["order_key"]["mchid"] == "1900000002"


def test_order_not_paid_through_wechat_pay_queues_no_upload(app):
    customer = make_user()
    order = make_order(customer, (make_product(stock=5), 1))
    db.session.query(Order).filter_by(id=order.id).update({"order_status": OrderStatus.PAID})
    db.session.commit()
    delivered = _deliver(order)
    assert delivered.order_status == OrderStatus.DELIVERED
    assert _rows() == []


def test_payer_without_any_openid_queues_no_upload(app):
    customer = make_user()
    order = make_order(customer, (make_product(stock=5), 1))
    pay_order(order)  # no payer openid, and the customer has no WeChat identity
    _deliver(order)
    assert _rows() == []


def test_rolled_back_delivery_leaves_no_outbox_row(app):
    order = make_wechat_paid_order()

    def fail_commit(session):
        raise RuntimeError("the database refused the commit")

    session = db.session()
    event.listen(session, "before_commit", fail_commit)
    try:
        with pytest.raises(RuntimeError):
            _deliver(order)
    finally:
        event.remove(session, "before_commit", fail_commit)
    db.session.rollback()
    assert db.session.get(Order, order.id, populate_existing=True).order_status == OrderStatus.PAID
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_lost_delivery_race_queues_one_upload(app):
    from app.core.exceptions import OrderStatusConflict

    order = make_wechat_paid_order()
    _deliver(order)
    with pytest.raises(OrderStatusConflict):
        _deliver(order, tracking_no="SF-002")
    assert [row.body["shipping_list"][0]["tracking_no"] for row in _rows()] == ["SF-001"]


def test_virtual_goods_and_self_pickup_send_no_tracking_or_contact(app):
    virtual = make_wechat_paid_order(openid="o-1")
    _deliver(virtual, carrier=None, tracking_no=None, logistics_type=3, item_desc="充值卡一张")
    pickup = make_wechat_paid_order(openid="o-2")
    _deliver(pickup, carrier="门店自提", tracking_no=None, logistics_type=4)
    first, second = _rows()
    assert first.body["logistics_type"] == 3
    assert first.body["shipping_list"] == [{"item_desc": "充值卡一张"}]
    assert second.body["logistics_type"] == 4
    assert second.body["shipping_list"] == [{"item_desc": "芒果干*2"}]
    assert db.session.get(Order, pickup.id).carrier == "门店自提"  # kept as text, not checked


def test_same_city_delivery_keeps_the_contact(app):
    order = make_wechat_paid_order()
    _deliver(order, carrier=None, tracking_no="RIDER-7", logistics_type=2)
    [row] = _rows()
    assert row.body["shipping_list"] == [
        {
            "item_desc": "芒果干*2",
            "tracking_no": "RIDER-7",
            "contact": {"receiver_contact": "189****1234"},
        }
    ]


def test_item_description_is_cut_to_120_characters(app):
    order = make_wechat_paid_order()
    _deliver(order, item_desc="很" * 200)
    [row] = _rows()
    assert row.body["shipping_list"][0]["item_desc"] == "很" * 120


# ------------------------------------------------------------------ carriers


def test_carrier_without_wechat_uses_the_bundled_list(app):
    assert shipping.resolve_carrier("顺丰速运") == {
        "delivery_id": "SF",
        "delivery_name": "顺丰速运",
    }
    assert shipping.resolve_carrier(" yto ")["delivery_name"] == "圆通速递"
    with pytest.raises(ParameterException) as raised:
        shipping.resolve_carrier("顺丰")
    assert list(raised.value.errors) == ["carrier"]


def test_carrier_is_checked_against_the_fetched_list_fetched_once(app, wx):
    answer_stable_token(wx, "ACCESS-1")
    wx.add(
        responses.POST,
        DELIVERY_LIST_URL,
        json={
            "errcode": 0,
            "delivery_list": [
                {"delivery_id": "JTSD", "delivery_name": "极兔速递"},
                {"delivery_id": "SF", "delivery_name": "顺丰速运"},
            ],
            "count": 2,
        },
    )
    assert shipping.resolve_carrier("极兔速递")["delivery_id"] == "JTSD"
    assert shipping.resolve_carrier("SF")["delivery_name"] == "顺丰速运"
    with pytest.raises(ParameterException):
        shipping.resolve_carrier("圆通速递")  # bundled, but not in WeChat's answer
    calls = [c for c in wx.calls if c.request.url.startswith(DELIVERY_LIST_URL)]
    assert len(calls) == 1
    assert json.loads(calls[0].request.body) == {}
    assert calls[0].request.params == {"access_token": "ACCESS-1"}


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"body": requests.ConnectionError("down")},
        {"json": {"errcode": 48001, "errmsg": "api unauthorized"}},
        {"json": {"errcode": 0, "delivery_list": []}},
    ],
    ids=["http-500", "unreachable", "errcode", "empty"],
)
def test_carrier_falls_back_to_the_bundled_list_when_wechat_fails(app, wx, failure):
    answer_stable_token(wx, "ACCESS-1")
    wx.add(responses.POST, DELIVERY_LIST_URL, **failure)
    assert shipping.resolve_carrier("SF")["delivery_name"] == "顺丰速运"
    assert shipping.resolve_carrier("中通快递")["delivery_id"] == "ZTO"
    with pytest.raises(ParameterException):
        shipping.resolve_carrier("极兔速递")
    calls = [c for c in wx.calls if c.request.url.startswith(DELIVERY_LIST_URL)]
    assert len(calls) == 1  # the fallback is cached for a while, not fetched per delivery


def test_unknown_carrier_delivers_nothing_and_queues_nothing(app):
    order = make_wechat_paid_order()
    with pytest.raises(ParameterException):
        _deliver(order, carrier="不存在快递")
    assert db.session.get(Order, order.id, populate_existing=True).order_status == OrderStatus.PAID
    assert _rows() == []
