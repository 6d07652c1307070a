"""After-sales, the money cases: partial counts, discounted shares that do not divide evenly,
the freight rule, failures and retries, the full refund after partial ones, restocking."""

import json
from decimal import Decimal

import pytest
import responses
from sqlalchemy import func, select

from app.core.exceptions import (
    AfterSaleCountTooLarge,
    AfterSaleLineBusy,
    AfterSaleNotAllowed,
    AfterSaleOpen,
    AfterSaleStatusConflict,
    WeChatPayError,
)
from app.extensions import db
from app.models import (
    AfterSale,
    AfterSaleEvent,
    Config,
    Order,
    OrderProduct,
    OrderStatus,
    OutboxMessage,
    Product,
    Refund,
)
from app.models.aftersale import AS, line_refund
from app.services import aftersale, payment
from tests.factories import (
    REFUNDS_URL,
    FakeWeChatPay,
    make_after_sale,
    make_config,
    make_paid_order,
    make_product,
    make_wx_identity,
    order_lines,
    refund_answers,
)

S = OrderStatus
D = Decimal


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


@pytest.fixture
def admin(super_admin):
    return super_admin.id


def _fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _sent(wechat) -> list[dict]:
    return [json.loads(request.body) for request in wechat.requests]


def _approve(wechat, after_sale, status="SUCCESS"):
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat, status))
        return aftersale.approve_after_sale(after_sale.id, after_sale.user_id, "ok")


# ------------------------------------------------------------------------ the amount rule


@pytest.mark.parametrize(
    "share,count,steps",
    [
        ("10.00", 3, [1, 1, 1]),
        ("10.00", 3, [2, 1]),
        ("0.05", 10, [1] * 10),
        ("0.01", 3, [1, 1, 1]),
        ("99.99", 7, [3, 3, 1]),
        ("7.00", 4, [4]),
    ],
)
def test_line_refunds_add_up_to_the_share_exactly(share, count, steps):
    done, given = 0, D("0.00")
    parts = []
    for units in steps:
        amount = line_refund(D(share), count, done, given, units)
        assert amount >= 0
        parts.append(amount)
        done, given = done + units, given + amount
    assert given == D(share)
    assert all(part == part.quantize(D("0.01")) for part in parts)


def test_partial_count_gets_its_proportional_share_half_up():
    assert line_refund(D("10.00"), 3, 0, 0, 1) == D("3.33")
    assert line_refund(D("10.00"), 3, 0, 0, 2) == D("6.67")
    assert line_refund(D("10.00"), 3, 1, D("3.33"), 1) == D("3.34")  # 6.67 - 3.33
    assert line_refund(D("0.05"), 10, 0, 0, 1) == D("0.01")  # 0.005 rounds half up
    assert line_refund(D("0.05"), 10, 1, D("0.01"), 1) == D("0.00")  # 0.01 after 2 units


# ------------------------------------------------------------------------------ requests


def test_partial_count_of_a_discounted_line(wechat, customer):
    # a coupon left 9.99 of 3 x 5.00 (shares that do not divide evenly), freight 6.00
    order = make_paid_order(
        customer, (make_product(price="5.00", stock=10), 3), shares=["9.99"], freight="6.00"
    )
    (line,) = order_lines(order)
    first = make_after_sale(customer, order, lines=[(line, 1)])
    assert (first.goods_amount, first.freight_amount, first.amount) == (D("3.33"), 0, D("3.33"))
    _approve(wechat, first)
    assert _sent(wechat)[0]["amount"] == {"refund": 333, "total": 1599, "currency": "CNY"}
    second = make_after_sale(customer, order, lines=[(line, 1)])
    assert second.amount == D("3.33")  # 6.66 after two units
    _approve(wechat, second)
    last = make_after_sale(customer, order, lines=[(line, 1)])
    # the last unit gets the remainder, and the freight: the order ends fully refunded
    assert (last.goods_amount, last.freight_amount, last.amount) == (
        D("3.33"),
        D("6.00"),
        D("9.33"),
    )
    _approve(wechat, last)
    assert [sent["amount"]["refund"] for sent in _sent(wechat)] == [333, 333, 933]
    stored = _fresh(Order, order.id)
    assert stored.order_status == S.REFUNDED and stored.refunded_amount == D("15.99")
    line = _fresh(OrderProduct, line.id)
    assert (line.refunded_count, line.refunded_amount, line.open_after_sale_id) == (
        3,
        D("9.99"),
        None,
    )


def test_freight_comes_with_the_refund_that_ends_the_order(wechat, customer):
    order = make_paid_order(
        customer,
        (make_product(price="10.00", stock=10), 1),
        (make_product(price="20.00", stock=10), 2),
        freight="8.00",
    )
    a, b = order_lines(order)
    first = make_after_sale(customer, order, lines=[(a, 1)])
    second = make_after_sale(customer, order, lines=[(b, 2)])
    # neither ends the order on its own when asked: no freight shown yet
    assert (first.freight_amount, second.freight_amount) == (0, 0)
    _approve(wechat, first)
    assert _fresh(Order, order.id).order_status == S.PAID
    _approve(wechat, second)  # decided when its refund starts: it leaves no unit unrefunded
    assert [sent["amount"]["refund"] for sent in _sent(wechat)] == [1000, 4800]
    assert _fresh(AfterSale, second.id).freight_amount == D("8.00")
    stored = _fresh(Order, order.id)
    assert stored.order_status == S.REFUNDED and stored.refunded_amount == stored.total_price
    assert sum(db.session.scalars(select(Refund.amount)).all()) == 5800


def test_an_order_partly_refunded_shows_its_refunded_amount(wechat, customer):
    order = make_paid_order(customer, (make_product(price="4.00", stock=10), 5), received=True)
    (line,) = order_lines(order)
    _approve(wechat, make_after_sale(customer, order, lines=[(line, 2)]))
    stored = _fresh(Order, order.id)
    assert stored.order_status == S.RECEIVED and stored.refunded_amount == D("8.00")
    assert _fresh(OrderProduct, line.id).refundable_count == 3


def test_checks_when_asking(customer):
    order = make_paid_order(customer, (make_product(stock=10), 2))
    (line,) = order_lines(order)
    make_after_sale(customer, order, lines=[(line, 1)])
    with pytest.raises(AfterSaleLineBusy):
        make_after_sale(customer, order, lines=[(line, 1)])
    other = make_paid_order(customer, (make_product(stock=10), 2))
    with pytest.raises(AfterSaleCountTooLarge):
        make_after_sale(customer, other, lines=[(order_lines(other)[0], 3)])
    with pytest.raises(AfterSaleNotAllowed):  # a return needs delivered goods
        make_after_sale(customer, other, type=2)
    old = make_paid_order(customer, received=True)
    received = old.receive_time - 86400 * 8
    db.session.query(Order).filter_by(id=old.id).update({"receive_time": received})
    db.session.commit()
    with pytest.raises(AfterSaleNotAllowed) as refused:
        make_after_sale(customer, old)
    assert refused.value.detail == {"receive_time": received, "deadline": received + 7 * 86400}
    db.session.query(Config).filter_by(key="shop.aftersale.days").update({"value": "30"})
    db.session.commit()
    assert make_after_sale(customer, old).status == AS.PENDING
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 2


def test_cancel_frees_the_lines(customer):
    order = make_paid_order(customer)
    first = make_after_sale(customer, order)
    aftersale.cancel_after_sale(customer.id, first.id)
    assert _fresh(AfterSale, first.id).status == AS.CANCELLED
    assert make_after_sale(customer, order).status == AS.PENDING
    with pytest.raises(AfterSaleStatusConflict):
        aftersale.cancel_after_sale(customer.id, first.id)


# --------------------------------------------------------------------------- decisions


def test_return_flow_with_restock(wechat, customer, admin):
    product = make_product(price="6.00", stock=10)
    order = make_paid_order(customer, (product, 3), delivered=True)
    assert _fresh(Product, product.id).stock == 7
    (line,) = order_lines(order)
    request = make_after_sale(customer, order, type=2, lines=[(line, 2)])
    approved = aftersale.approve_after_sale(request.id, admin)
    assert approved.status == AS.APPROVED and wechat.requests == []
    shipped = aftersale.ship_after_sale(customer.id, request.id, "顺丰速运", "SF123")
    assert (shipped.status, shipped.tracking_no) == (AS.SHIPPED, "SF123")
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        done = aftersale.receive_after_sale(request.id, admin, restock=True)
    assert done.status == AS.REFUNDED and done.restocked and done.receive_time
    assert _sent(wechat)[0]["amount"]["refund"] == 1200
    assert _fresh(Product, product.id).stock == 9
    with pytest.raises(AfterSaleStatusConflict):
        aftersale.restock_after_sale(request.id, admin)
    assert _fresh(Product, product.id).stock == 9
    assert _fresh(OrderProduct, line.id).restocked_count == 2
    assert [e.to_status for e in _fresh(AfterSale, request.id).events] == [1, 2, 3, 4, 5]


def test_refund_failure_is_visible_and_retried(wechat, customer, admin):
    order = make_paid_order(customer, (make_product(price="3.00", stock=10), 2))
    request = make_after_sale(customer, order)
    refused = refund_answers(wechat, http_status=403, error={"code": "NOT_ENOUGH", "message": "no"})
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refused)
        with pytest.raises(WeChatPayError):
            aftersale.approve_after_sale(request.id, admin)
    failed = aftersale.get_after_sale(request.id)
    assert failed.status == AS.REFUND_FAILED
    assert [r.status for r in failed.refunds] == ["ABNORMAL"]
    assert _fresh(Order, order.id).refunded_amount == 0  # the reservation is given back
    assert _fresh(OrderProduct, order_lines(order)[0].id).refunded_count == 0
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        retried = aftersale.retry_refund(request.id, admin)
    assert retried.status == AS.REFUNDED
    assert [r.out_refund_no[-2:] for r in retried.refunds] == ["-1", "-2"]
    assert _fresh(Order, order.id).order_status == S.REFUNDED


def test_unanswered_refund_is_sent_again_with_the_same_number(wechat, customer, admin):
    request = make_after_sale(customer)
    with responses.RequestsMock():  # nothing registered: WeChat unreachable
        with pytest.raises(WeChatPayError):
            aftersale.approve_after_sale(request.id, admin)
    assert _fresh(AfterSale, request.id).status == AS.REFUNDING
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat, "PROCESSING"))
        aftersale.retry_refund(request.id, admin)
    numbers = db.session.scalars(select(Refund.out_refund_no)).all()
    assert len(numbers) == 1 and _sent(wechat)[0]["out_refund_no"] == numbers[0]
    with pytest.raises(AfterSaleStatusConflict):  # WeChat has it now: the notify settles it
        aftersale.retry_refund(request.id, admin)


def test_full_refund_after_partial_ones_gives_back_only_the_rest(wechat, customer, admin):
    product = make_product(price="10.00", stock=10)
    order = make_paid_order(customer, (product, 3), freight="5.00")
    (line,) = order_lines(order)
    request = make_after_sale(customer, order, lines=[(line, 1)])
    with pytest.raises(AfterSaleOpen):  # decide the open after-sale first
        payment.request_refund(order.id, admin, "all")
    _approve(wechat, request)
    aftersale.restock_after_sale(request.id, admin)  # never shipped: the unit is back in stock
    assert _fresh(Product, product.id).stock == 8
    with responses.RequestsMock() as rsps:
        rsps.add_callback("POST", REFUNDS_URL, callback=refund_answers(wechat))
        payment.request_refund(order.id, admin, "all")
    assert [sent["amount"]["refund"] for sent in _sent(wechat)] == [1000, 2500]
    stored = _fresh(Order, order.id)
    assert stored.order_status == S.REFUNDED and stored.refunded_amount == D("35.00")
    assert _fresh(Product, product.id).stock == 10  # the restocked unit is not released twice
    with pytest.raises(AfterSaleNotAllowed):
        make_after_sale(customer, order, lines=[(line, 1)])


def test_decision_queues_the_after_sale_message(wechat, customer, admin):
    make_wx_identity(customer, "o-customer")
    template = {"template_id": "T-AS", "data": {"thing1": "{decision}", "thing2": "{reason}"}}
    make_config(
        key="wechat.subscribe.after_sale_decided", value=json.dumps(template), value_type="json"
    )
    order = make_paid_order(customer, (make_product(stock=10), 2), delivered=True)
    first = order_lines(order)[0]
    request = make_after_sale(customer, order, type=2, lines=[(first, 1)])
    aftersale.reject_after_sale(request.id, admin, "商品已使用")
    again = make_after_sale(customer, order, type=2, lines=[(first, 1)])
    aftersale.approve_after_sale(again.id, admin)
    bodies = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)).all()
    decided = [b for b in bodies if b.get("template_id") == "T-AS"]
    assert [b["data"]["thing1"]["value"] for b in decided] == ["拒绝", "同意"]
    assert decided[0]["data"]["thing2"]["value"] == "商品已使用"
    events = db.session.scalars(
        select(AfterSaleEvent.to_status).where(AfterSaleEvent.after_sale_id == request.id)
    ).all()
    assert events == [AS.PENDING, AS.REJECTED]


# ----------------------------------------------------- after-sales of a coupon-placed order


def test_after_sales_of_a_coupon_order_refund_exactly_what_was_paid(wechat, customer, admin):
    """Placed through the checkout with a coupon and freight (nothing written by hand), then
    every unit asked back in three after-sales: the refunds add up to pay_amount, the freight
    comes with the last, and the coupon stays spent."""
    from app.models import UserCoupon
    from app.models.coupon import CouponStatus
    from app.services.config_params import set_config_value
    from app.services.orders import place_order
    from tests.factories import give_coupon, make_address, make_coupon, pay_order

    set_config_value("shop.freight.price", "8.00")
    set_config_value("shop.freight.free_min", "999.00")
    make_address(customer)
    tea, rice = make_product(price="3.33", stock=10), make_product(price="10.00", stock=10)
    held = give_coupon(customer, make_coupon(min_amount="0.00", amount="5.00"))
    order = place_order(
        customer.id,
        [{"product_id": tea.id, "count": 3}, {"product_id": rice.id, "count": 1}],
        user_coupon_id=held.id,
    )
    assert (order.goods_amount, order.freight_amount, order.coupon_discount) == (
        D("19.99"),
        D("8.00"),
        D("5.00"),
    )
    assert order.pay_amount == D("22.99")
    pay_order(order)
    tea_line, rice_line = sorted(order_lines(order), key=lambda line: line.product_id)
    # 5.00 shared 9.99 : 10.00: floors 2.49 / 2.50, the fen left goes to tea's larger remainder
    assert (tea_line.pay_amount, rice_line.pay_amount) == (D("7.49"), D("7.50"))

    for lines in ([(tea_line, 2)], [(rice_line, 1)], [(tea_line, 1)]):
        _approve(wechat, make_after_sale(customer, _fresh(Order, order.id), lines=lines))
    assert [sent["amount"]["refund"] for sent in _sent(wechat)] == [499, 750, 250 + 800]
    assert {sent["amount"]["total"] for sent in _sent(wechat)} == {2299}
    stored = _fresh(Order, order.id)
    assert stored.order_status == S.REFUNDED and stored.refunded_amount == D("22.99")
    coupon = _fresh(UserCoupon, held.id)
    assert (coupon.status, coupon.order_id) == (CouponStatus.USED, order.id)  # stays spent
