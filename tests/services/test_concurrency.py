"""Races: stock reservation, opposite product orders, notification replays, cancel vs expiry
vs payment. Threaded versions need MariaDB (SQLite serializes writers with a file lock and
cannot show row-level races); the same scenarios also run one after another on SQLite.
"""

import os
import threading
import time

import pytest
from sqlalchemy import select

from app.core.exceptions import Conflict, OrderStatusConflict, OutOfStock
from app.extensions import db
from app.models import Order, OrderEvent, OrderProduct, OrderStatus, Payment, Product
from app.services import orders, payment
from tests.factories import (
    FakeWeChatPay,
    make_address,
    make_order,
    make_product,
    make_sku_product,
    make_user,
    skus_of,
)

S = OrderStatus
needs_mariadb = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("mysql"),
    reason="row-level lock races need MariaDB (set TEST_DATABASE_URL); SQLite locks the file",
)


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def run_parallel(app, jobs):
    """Run each job in its own thread, app context and session; answer results or errors."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def runner(index, job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = job()
            except Exception as error:  # collected for the assertions
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def run_serial(app, jobs):
    results = []
    for job in jobs:
        try:
            results.append(job())
        except Exception as error:
            db.session.rollback()
            results.append(error)
    return results


def _buyers(count):
    users = [make_user(password=None) for _ in range(count)]
    for user in users:
        make_address(user)
    return [user.id for user in users]


def _stock(product_id):
    db.session.rollback()  # end the snapshot of this thread's transaction
    return db.session.get(Product, product_id).stock


def _last_units(app, runner, units=3, buyers=10):
    product_id = make_product(stock=units).id
    user_ids = _buyers(buyers)

    def buy(user_id):
        return lambda: orders.place_order(user_id, [{"product_id": product_id, "count": 1}]).id

    results = runner(app, [buy(user_id) for user_id in user_ids])
    placed = [r for r in results if isinstance(r, int)]
    assert all(isinstance(r, (int, OutOfStock)) for r in results), results
    assert len(placed) == units
    assert _stock(product_id) == 0
    assert db.session.query(Order).count() == units


@needs_mariadb
def test_last_units_race_threads(app):
    _last_units(app, run_parallel)


def test_last_units_race_serial(app):
    _last_units(app, run_serial)


def _opposite_orders(app, runner, rounds=8):
    a, b = make_product(stock=100).id, make_product(stock=100).id
    user_ids = _buyers(rounds)

    def buy(user_id, first, second):
        items = [{"product_id": first, "count": 2}, {"product_id": second, "count": 3}]
        return lambda: orders.place_order(user_id, items).id

    jobs = [
        buy(user_id, *((a, b) if index % 2 else (b, a))) for index, user_id in enumerate(user_ids)
    ]
    results = runner(app, jobs)
    db.session.rollback()
    placed = [r for r in results if isinstance(r, int)]
    assert all(isinstance(r, (int, Conflict)) for r in results), results
    counts = {a: 0, b: 0}
    for order in db.session.scalars(select(Order)):
        for line in order.lines:
            counts[line.product_id] += line.count
    assert _stock(a) == 100 - counts[a] and _stock(b) == 100 - counts[b]
    assert len(placed) == db.session.query(Order).count()


@needs_mariadb
def test_opposite_product_orders_threads(app):
    _opposite_orders(app, run_parallel)


def test_opposite_product_orders_serial(app):
    _opposite_orders(app, run_serial)


def _notify_replays(app, runner, wechat, copies=20):
    user = make_user()
    order = make_order(user, (make_product(stock=5), 1))
    headers, body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction(order))
    raw = body.encode()
    results = runner(app, [lambda: payment.handle_pay_notification(headers, raw)] * copies)
    assert sorted(set(results)) == ["paid", "replay"], results
    assert results.count("paid") == 1
    db.session.rollback()
    assert db.session.query(Payment).count() == 1
    assert db.session.get(Order, order.id).order_status == S.PAID
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, 1), (1, 2)]


@needs_mariadb
def test_notify_replays_threads(app, wechat):
    _notify_replays(app, run_parallel, wechat)


def test_notify_replays_serial(app, wechat):
    _notify_replays(app, run_serial, wechat, copies=3)


def _cancel_expire_notify(app, runner, wechat, rounds=4):
    user = make_user()
    product_id = make_product(stock=100).id
    for _ in range(rounds):
        order = make_order(user, (db.session.get(Product, product_id), 2))
        order_id = order.id
        db.session.query(Order).filter_by(id=order_id).update({"expire_time": int(time.time()) - 1})
        db.session.commit()
        headers, body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction(order))
        jobs = _race_jobs(order_id, user.id, headers, body.encode())
        results = runner(app, jobs)
        unexpected = [
            r
            for r in results
            if isinstance(r, Exception) and not isinstance(r, OrderStatusConflict)
        ]
        assert not unexpected, results
        db.session.rollback()
        stored = db.session.get(Order, order_id)
        assert stored.order_status in (S.PAID, S.PAID_BUT_OUT_OF)
        assert stored.stock_released is (stored.order_status == S.PAID_BUT_OUT_OF)
        releases = db.session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id, OrderEvent.to_status == 7)
        ).all()
        assert len(releases) == (1 if stored.stock_released else 0)
    held = sum(2 for order in db.session.scalars(select(Order)) if not order.stock_released)
    assert _stock(product_id) == 100 - held
    assert db.session.query(Payment).count() == rounds


def _race_jobs(order_id, user_id, headers, raw):
    return [
        lambda: orders.cancel_order(order_id, "customer", user_id, user_id=user_id).id,
        lambda: orders.expire_orders(),
        lambda: payment.handle_pay_notification(headers, raw),
        lambda: orders.cancel_order(order_id, "admin", 1).id,
    ]


@needs_mariadb
def test_cancel_expire_notify_race_threads(app, wechat):
    _cancel_expire_notify(app, run_parallel, wechat)


def test_cancel_expire_notify_race_serial(app, wechat):
    _cancel_expire_notify(app, run_serial, wechat, rounds=2)


def _same_idempotency_key(app, runner, copies):
    from tests.factories import auth_headers

    user = make_user(password=None)
    make_address(user)
    product_id = make_product(stock=10).id
    headers = {**auth_headers(user), "Idempotency-Key": "same-key"}
    body = {"products": [{"product_id": product_id, "count": 2}]}

    def post():
        response = app.test_client().post("/v1/order", json=body, headers=headers)
        return response.status_code, response.get_json()

    results = runner(app, [post] * copies)
    db.session.rollback()
    assert all(status in (201, 409) for status, _ in results), results
    created = [payload for status, payload in results if status == 201]
    assert created and all(payload == created[0] for payload in created)
    assert all(payload["error_code"] == 1010 for status, payload in results if status == 409)
    assert db.session.query(Order).count() == 1
    assert _stock(product_id) == 8


@needs_mariadb
def test_same_idempotency_key_threads(app):
    _same_idempotency_key(app, run_parallel, copies=6)


def test_same_idempotency_key_serial(app):
    _same_idempotency_key(app, run_serial, copies=3)


def _last_units_of_one_sku(app, runner, units=3, buyers=10):
    """Racing buyers for the last units of one SKU of a four-SKU product: exactly `units`
    orders, that SKU at 0, the other SKUs and the product's derived stock exact."""
    product = make_sku_product(
        skus=[
            ({"颜色": "红", "尺码": "M"}, "10.00", units),
            ({"颜色": "红", "尺码": "L"}, "11.00", 7),
            ({"颜色": "蓝", "尺码": "M"}, "12.00", 8),
            ({"颜色": "蓝", "尺码": "L"}, "13.00", 9),
        ]
    )
    target, *others = skus_of(product)
    user_ids = _buyers(buyers)

    def buy(user_id):
        items = [{"product_id": product.id, "sku_id": target.id, "count": 1}]
        return lambda: orders.place_order(user_id, items).id

    results = runner(app, [buy(user_id) for user_id in user_ids])
    db.session.rollback()
    placed = [r for r in results if isinstance(r, int)]
    assert all(isinstance(r, (int, OutOfStock)) for r in results), results
    assert len(placed) == units
    assert db.session.query(Order).count() == units
    after = skus_of(product)
    assert [sku.stock for sku in after] == [0, 7, 8, 9]
    assert _stock(product.id) == 7 + 8 + 9
    lines = db.session.scalars(select(OrderProduct)).all()
    assert {(line.sku_id, line.spec, line.count) for line in lines} == {
        (target.id, "颜色:红;尺码:M", 1)
    }
    assert len(lines) == units


@needs_mariadb
def test_last_units_of_one_sku_race_threads(app):
    _last_units_of_one_sku(app, run_parallel)


def test_last_units_of_one_sku_race_serial(app):
    _last_units_of_one_sku(app, run_serial)


def _skus_of_one_product_in_opposite_order(app, runner, rounds=8):
    """Buyers taking two SKUs of one product listed in opposite orders never deadlock for
    good, and every unit is accounted for on the SKUs and the product."""
    product = make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "10.00", 100), ({"颜色": "蓝"}, "10.00", 100)],
    )
    red, blue = skus_of(product)
    user_ids = _buyers(rounds)

    def buy(user_id, first, second):
        items = [
            {"product_id": product.id, "sku_id": first, "count": 2},
            {"product_id": product.id, "sku_id": second, "count": 3},
        ]
        return lambda: orders.place_order(user_id, items).id

    jobs = [
        buy(user_id, *((red.id, blue.id) if index % 2 else (blue.id, red.id)))
        for index, user_id in enumerate(user_ids)
    ]
    results = runner(app, jobs)
    db.session.rollback()
    assert all(isinstance(r, (int, Conflict)) for r in results), results
    taken = {red.id: 0, blue.id: 0}
    for line in db.session.scalars(select(OrderProduct)):
        taken[line.sku_id] += line.count
    red_after, blue_after = skus_of(product)
    assert red_after.stock == 100 - taken[red.id] and blue_after.stock == 100 - taken[blue.id]
    assert _stock(product.id) == red_after.stock + blue_after.stock


@needs_mariadb
def test_skus_of_one_product_in_opposite_order_threads(app):
    _skus_of_one_product_in_opposite_order(app, run_parallel)


def test_skus_of_one_product_in_opposite_order_serial(app):
    _skus_of_one_product_in_opposite_order(app, run_serial)
