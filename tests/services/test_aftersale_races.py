"""After-sale races: two admins approving one after-sale, after-sales on every line of one order
approved at once (with a full refund trying in between), customers asking for one line at
once, a refund notify replayed 20 times. Threaded on MariaDB; the same scenarios run one after
another on SQLite (see test_concurrency.py)."""

import json

import pytest
import responses
from sqlalchemy import func, select

from app.core.exceptions import (
    AfterSaleLineBusy,
    AfterSaleOpen,
    AfterSaleStatusConflict,
    OrderStatusConflict,
)
from app.extensions import db
from app.models import (
    AfterSale,
    AfterSaleEvent,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxMessage,
    Refund,
)
from app.models.aftersale import AS
from app.services import aftersale, payment
from tests.factories import (
    REFUNDS_URL,
    FakeWeChatPay,
    make_after_sale,
    make_config,
    make_paid_order,
    make_product,
    make_user,
    make_wx_identity,
    order_lines,
    refund_answers,
)
from tests.helpers import race

S = OrderStatus


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _refunds(order_id):
    db.session.rollback()
    return db.session.scalars(
        select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)
    ).all()


@race()
def test_two_admins_approving_refund_once(app, runner, wechat, customer):
    request = make_after_sale(
        customer, make_paid_order(customer, (make_product(price="10.00", stock=9), 2))
    )
    request_id = request.id  # threads read no row of this session
    admins = [make_user(auth=2).id for _ in range(2)]

    def approve(admin_id):
        return lambda: aftersale.approve_after_sale(request_id, admin_id).status

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        results = runner(app, [approve(admin_id) for admin_id in admins])
    won = [r for r in results if not isinstance(r, Exception)]
    assert won == [AS.REFUNDED], results
    assert [type(r) for r in results if r not in won] == [AfterSaleStatusConflict]
    assert len(wechat.requests) == 1
    refunds = _refunds(request.order_id)
    assert [(r.status, r.amount) for r in refunds] == [("SUCCESS", 2000)]
    events = db.session.scalars(
        select(AfterSaleEvent.to_status).where(AfterSaleEvent.after_sale_id == request.id)
    ).all()
    assert events == [AS.PENDING, AS.REFUNDING, AS.REFUNDED]


@race()
def test_after_sales_on_every_line_never_refund_more_than_paid(app, runner, wechat, customer):
    # shares that do not divide evenly (a coupon's), and freight: 3.33 + 3.33 + 3.34 + 0.01 + 5
    products = [make_product(price="4.00", stock=9) for _ in range(4)]
    order = make_paid_order(
        customer,
        *[(product, 1) for product in products],
        shares=["3.33", "3.33", "3.34", "0.01"],
        freight="5.00",
    )
    ids = [make_after_sale(customer, order, lines=[(line, 1)]).id for line in order_lines(order)]
    admins = [make_user(auth=2).id for _ in ids]
    order_id = order.id  # threads read no row of this session

    def approve(request_id, admin_id):
        return lambda: aftersale.approve_after_sale(request_id, admin_id).status

    def refund_all():
        return payment.request_refund(order_id, admins[0], "all").order_status

    jobs = [approve(r, a) for r, a in zip(ids, admins, strict=True)] + [refund_all]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        results = runner(app, jobs)
    assert results[:4] == [AS.REFUNDED] * 4, results
    # refused: while any after-sale is open, and once the order is refunded
    assert isinstance(results[4], (AfterSaleOpen, OrderStatusConflict)), results
    refunds = _refunds(order.id)
    amounts = sorted(r.amount for r in refunds)
    # the one that found every other line refunded carried the freight; never more than paid
    assert sum(amounts) == 1501 and len(amounts) == 4
    assert sorted(a - 500 if a > 500 else a for a in amounts) == [1, 333, 333, 334]
    stored = db.session.get(Order, order.id)
    assert stored.order_status == S.REFUNDED and stored.refunded_amount == stored.total_price
    moves = db.session.scalars(
        select(OrderEvent.to_status).where(OrderEvent.order_id == order.id)
    ).all()
    assert moves.count(S.REFUNDED) == 1


@race()
def test_one_open_after_sale_per_line(app, runner, customer, tries=6):
    order = make_paid_order(customer, (make_product(stock=20), 5))
    (line,) = order_lines(order)
    body = {
        "order_id": order.id,
        "type": 1,
        "lines": [{"order_product_id": line.id, "count": 5}],
        "reason": "不想要了",
    }
    user_id = customer.id
    results = runner(app, [lambda: aftersale.create_after_sale(user_id, dict(body)).id] * tries)
    created = [r for r in results if isinstance(r, int)]
    assert len(created) == 1, results
    assert all(isinstance(r, AfterSaleLineBusy) for r in results if r not in created)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 1


@race()
def test_refund_notify_replayed_20_times_settles_once(app, runner, wechat, customer, replays=20):
    make_wx_identity(customer, "o-replay")
    template = {"template_id": "T-RS", "data": {"amount1": "{refund_amount}"}}
    make_config(
        key="wechat.subscribe.refund_settled", value=json.dumps(template), value_type="json"
    )
    order = make_paid_order(customer, (make_product(price="7.00", stock=9), 3))
    (line,) = order_lines(order)
    request = make_after_sale(customer, order, lines=[(line, 2)])
    admin_id = make_user(auth=2).id
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat, "PROCESSING"))
        assert aftersale.approve_after_sale(request.id, admin_id).status == AS.REFUNDING
    (refund,) = _refunds(order.id)
    resource = {
        "mchid": FakeWeChatPay.MCHID,
        "out_trade_no": order.order_no,
        "transaction_id": f"TX{order.id}",
        "out_refund_no": refund.out_refund_no,
        "refund_id": refund.refund_id,
        "refund_status": "SUCCESS",
        "success_time": "2026-12-02T16:00:00+08:00",
        "amount": {"total": 2100, "refund": 1400, "payer_total": 2100, "payer_refund": 1400},
    }
    headers, body = wechat.notification("REFUND.SUCCESS", resource)

    def deliver():
        return payment.handle_refund_notification(headers, body.encode())

    results = runner(app, [deliver] * replays)
    assert results == ["SUCCESS"] * replays, results
    db.session.rollback()
    settled = db.session.get(AfterSale, request.id)
    assert settled.status == AS.REFUNDED and settled.refund_time is not None
    events = db.session.scalars(
        select(AfterSaleEvent.to_status).where(AfterSaleEvent.after_sale_id == request.id)
    ).all()
    assert events.count(AS.REFUNDED) == 1
    messages = db.session.scalars(select(OutboxMessage.body)).all()
    assert [m["template_id"] for m in messages].count("T-RS") == 1
    stored = db.session.get(Order, order.id)
    assert stored.order_status == S.PAID and str(stored.refunded_amount) == "14.00"
    assert [(r.status, r.amount) for r in _refunds(order.id)] == [("SUCCESS", 1400)]
