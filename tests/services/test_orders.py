"""The order service: status machine, stock release, account deletion, expiry."""

import time

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.core.exceptions import OrderStatusConflict
from app.extensions import db
from app.models import (
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderStatus,
    Product,
)
from app.services import orders
from app.services.orders import placement
from tests.factories import make_order, make_product, make_user

S = OrderStatus


def _stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def _status(order_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Order, order_id).order_status


def test_transition_is_guarded_and_logged(customer):
    order = make_order(customer, (make_product(), 1))
    assert orders.transition(order.id, S.UNPAID, S.CANCELLED, "customer", customer.id)
    db.session.commit()
    assert not orders.transition(order.id, S.UNPAID, S.CANCELLED, "customer", customer.id)
    db.session.commit()
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, 1), (1, 7)]
    assert _status(order.id) == S.CANCELLED


def test_transition_not_in_table_is_conflict(customer):
    order = make_order(customer, (make_product(), 1))
    with pytest.raises(OrderStatusConflict):
        orders.transition(order.id, S.UNPAID, S.DELIVERED, "admin")
    with pytest.raises(OrderStatusConflict):
        orders.transition(order.id, S.UNPAID, S.CANCELLED, "wechat")
    with pytest.raises(OrderStatusConflict):
        orders.move(order.id, S.PAID, S.DELIVERED, "admin")
    assert _status(order.id) == S.UNPAID


def test_release_stock_happens_once(customer):
    product = make_product(stock=10)
    order = make_order(customer, (product, 4))
    assert _stock(product.id) == 6
    assert orders.release_stock(order.id) is True
    assert orders.release_stock(order.id) is False
    db.session.commit()
    assert _stock(product.id) == 10
    assert db.session.get(Order, order.id).stock_released is True


def test_place_order_reserves_in_id_order_and_merges(customer):
    low, high = make_product(stock=5), make_product(stock=5)
    order = make_order(customer, (high, 2), (low, 1), (high, 1))
    assert order.total_count == 4
    assert [item["id"] for item in order.snap_items] == [high.id, low.id]
    assert _stock(low.id) == 4 and _stock(high.id) == 2


def test_order_numbers_are_dated_and_unique(customer):
    product = make_product(stock=10)
    numbers = {make_order(customer, (product, 1)).order_no for _ in range(5)}
    assert len(numbers) == 5
    assert all(len(number) == 20 and number.isdigit() for number in numbers)


def test_cancel_user_unpaid_orders(customer):
    product = make_product(stock=10)
    unpaid = [make_order(customer, (product, 1)) for _ in range(2)]
    paid = make_order(customer, (product, 1), order_status=S.PAID)
    other = make_order(make_user(), (product, 1))
    assert orders.cancel_user_unpaid_orders(customer.id, "system", None) == 2
    assert [_status(order.id) for order in unpaid] == [S.CANCELLED, S.CANCELLED]
    assert _status(paid.id) == S.PAID and _status(other.id) == S.UNPAID
    assert _stock(product.id) == 8


def test_expire_orders_cancels_overdue_and_receives_old_deliveries(app, customer):
    product = make_product(stock=10)
    at = int(time.time())
    overdue = make_order(customer, (product, 3), expire_time=at - 1)
    fresh = make_order(customer, (product, 1))
    delivered = make_order(
        customer, (product, 1), order_status=S.DELIVERED, delivery_time=at - 16 * 86400
    )
    recent = make_order(customer, (product, 1), order_status=S.DELIVERED, delivery_time=at - 60)
    db.session.add(IdempotencyKey(user_id=customer.id, key="old", request_hash="x", create_time=1))
    db.session.commit()
    report = orders.expire_orders(at)
    assert report["cancelled"] == 1 and report["received"] == 1 and report["purged"] == 1
    assert _status(overdue.id) == S.CANCELLED and _status(fresh.id) == S.UNPAID
    assert _status(delivered.id) == S.RECEIVED and _status(recent.id) == S.DELIVERED
    assert _stock(product.id) == 10 - 1 - 1 - 1
    assert db.session.query(IdempotencyKey).count() == 0
    again = orders.expire_orders(at)
    assert again["cancelled"] == 0 and again["received"] == 0


def test_order_expire_command(app, customer):
    product = make_product(stock=2)
    order_id = make_order(customer, (product, 2), expire_time=int(time.time()) - 5).id
    product_id = product.id
    db.session.remove()
    result = CliRunner().invoke(app.cli, ["order", "expire"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "cancelled=1" in result.output
    assert _status(order_id) == S.CANCELLED and _stock(product_id) == 2


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_place_order_deadlock_retried_then_conflict(customer, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.core.exceptions import Conflict

    product = make_product(stock=5)
    make_order(customer, (product, 1))
    calls = []

    def deadlock(counts):
        calls.append(counts)
        raise OperationalError("UPDATE product", {}, Exception(1213, "Deadlock found"))

    monkeypatch.setattr(placement, "reserve_stock", deadlock)
    with pytest.raises(Conflict):
        orders.place_order(customer.id, [{"product_id": product.id, "count": 1}])
    assert len(calls) == 3
    assert _stock(product.id) == 4 and db.session.query(Order).count() == 1
