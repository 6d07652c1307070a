"""Races: stock reservation, opposite product orders, notification replays, cancel vs expiry
vs payment. Threaded versions need MariaDB (SQLite serializes writers with a file lock and
cannot show row-level races); the same scenarios also run one after another on SQLite.
"""

import time

import pytest
from sqlalchemy import select

from app.core.exceptions import CartItemNotFound, Conflict, OrderStatusConflict, OutOfStock
from app.extensions import db
from app.models import (
    CartItem,
    Order,
    OrderEvent,
    OrderProduct,
    OrderStatus,
    Payment,
    Product,
    Sku,
    User,
)
from app.services import cart, orders, payment
from tests.factories import (
    FakeWeChatPay,
    auth_headers,
    make_address,
    make_cart_line,
    make_order,
    make_product,
    make_sku_product,
    make_user,
    skus_of,
)
from tests.helpers import race

S = OrderStatus


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def _buyers(count):
    users = [make_user(password=None) for _ in range(count)]
    for user in users:
        make_address(user)
    return [user.id for user in users]


def _stock(product_id):
    db.session.rollback()  # end the snapshot of this thread's transaction
    return db.session.get(Product, product_id).stock


@race()
def test_last_units_race(app, runner, units=3, buyers=10):
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


@race()
def test_opposite_product_orders(app, runner, rounds=8):
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


@race(copies=(20, 3))
def test_notify_replays(app, runner, wechat, copies):
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


@race(rounds=(4, 2))
def test_cancel_expire_notify_race(app, runner, wechat, rounds):
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


@race(copies=(6, 3))
def test_same_idempotency_key(app, runner, copies):
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


@race()
def test_last_units_of_one_sku_race(app, runner, units=3, buyers=10):
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


@race()
def test_skus_of_one_product_in_opposite_order(app, runner, rounds=8):
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


# ---------------------------------------------------------------- checkout from the cart


def _cart_rows(user_id) -> dict[int, int]:
    db.session.rollback()
    rows = db.session.execute(
        select(CartItem.id, CartItem.count).where(CartItem.user_id == user_id)
    ).all()
    return dict(rows)


def _sku_stock(sku_id) -> int:
    db.session.rollback()
    return db.session.get(Sku, sku_id).stock


def _ordered(order_id) -> dict[int, int]:
    lines = db.session.scalars(select(OrderProduct).where(OrderProduct.order_id == order_id))
    return {line.sku_id: line.count for line in lines}


@race(rounds=(6, 1))
def test_checkout_racing_cart_edits(app, runner, rounds):
    """A checkout of lines A (2 units) and B (1 unit) racing a PUT of A's count to 5 and a
    DELETE of B. Either the checkout ran first (the order holds A at 2 and B, both lines are
    gone, the edits find nothing), or after some edits (it sees A at 5 if the PUT ran before
    it, and a deleted B fails it whole: nothing ordered, the cart as the edits left it). Never
    an order for a line that is still in the cart; stock exact."""
    user = make_user(password=None)
    make_address(user)
    user_id, seen = user.id, set()
    for _ in range(rounds):
        a_sku, b_sku = (skus_of(make_product(stock=50))[0].id for _ in range(2))
        a = make_cart_line(user, db.session.get(Sku, a_sku), count=2).id
        b = make_cart_line(user, db.session.get(Sku, b_sku), count=1).id

        def checkout(a=a, b=b):
            return orders.place_order(user_id, cart_item_ids=[a, b]).id

        def put(a=a):
            return cart.update_line(user_id, a, {"count": 5}).item.count

        def remove(b=b):
            return cart.delete_lines(user_id, [b])

        placed, changed, removed = runner(app, [checkout, put, remove])
        left = _cart_rows(user_id)
        assert isinstance(placed, (int, CartItemNotFound)), placed
        assert changed == 5 or isinstance(changed, CartItemNotFound), changed
        assert removed == [b] or isinstance(removed, CartItemNotFound), removed
        if isinstance(placed, int):
            ordered = _ordered(placed)
            assert a not in left and b not in left
            assert isinstance(removed, CartItemNotFound)  # B was ordered: the delete came after
            assert ordered == {a_sku: 5 if changed == 5 else 2, b_sku: 1}
            seen.add("checkout won" if ordered[a_sku] == 2 else "put, then checkout")
        else:
            assert removed == [b] and b not in left  # the delete ran first and failed it
            assert changed == 5 and left[a] == 5
            ordered = {}
            seen.add("delete, then checkout fails")
        assert _sku_stock(a_sku) == 50 - ordered.get(a_sku, 0)
        assert _sku_stock(b_sku) == 50 - ordered.get(b_sku, 0)
        if left:  # an empty cart for the next round
            cart.delete_lines(user_id, list(left))
    print(f"checkout vs edits, orderings seen: {sorted(seen)}")


@race(copies=(4, 2))
def test_two_checkouts_of_the_same_cart_lines(app, runner, copies):
    """Concurrent checkouts of the same cart lines: one order; the others wait for the cart
    lock, then find the lines gone (404 / 33010)."""
    user = make_user(password=None)
    make_address(user)
    sku = skus_of(make_product(stock=10))[0]
    body = {"cart_item_ids": [make_cart_line(user, sku, count=3).id, make_cart_line(user).id]}
    headers = auth_headers(user)

    def post():
        response = app.test_client().post("/v1/order", json=body, headers=headers)
        return response.status_code, response.get_json()["error_code"]

    results = runner(app, [post] * copies)
    assert sorted(results) == [(201, 1)] + [(404, 33010)] * (copies - 1), results
    db.session.rollback()
    assert db.session.query(Order).count() == 1
    assert _sku_stock(sku.id) == 7
    assert _cart_rows(user.id) == {}


@race()
def test_last_units_of_one_sku_from_carts_race(app, runner, units=3, buyers=8):
    """Buyers checking out the last units of one SKU (plus another SKU of the same product)
    from their carts: `units` orders; the winners' carts are empty, the losers' carts are as
    they were; both SKUs and the product's stock exact."""
    product = make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "10.00", units), ({"颜色": "蓝"}, "12.00", 100)],
    )
    scarce, plenty = skus_of(product)
    carts = {}
    for user_id in _buyers(buyers):
        user = db.session.get(User, user_id)
        carts[user_id] = {
            make_cart_line(user, scarce, count=1).id: 1,
            make_cart_line(user, plenty, count=2).id: 2,
        }

    def checkout(user_id):
        return lambda: orders.place_order(user_id, cart_item_ids=list(carts[user_id])).id

    results = runner(app, [checkout(user_id) for user_id in carts])
    assert all(isinstance(r, (int, OutOfStock)) for r in results), results
    winners = [user_id for user_id, r in zip(carts, results, strict=True) if isinstance(r, int)]
    assert len(winners) == units
    for user_id, lines in carts.items():
        assert _cart_rows(user_id) == ({} if user_id in winners else lines)
    assert (_sku_stock(scarce.id), _sku_stock(plenty.id)) == (0, 100 - 2 * units)
    assert _stock(product.id) == 100 - 2 * units
    assert db.session.query(Order).count() == units


@race(copies=(6, 3))
def test_same_idempotency_key_cart_checkout(app, runner, copies):
    """One Idempotency-Key sent by concurrent copies of a checkout from the cart: one order,
    the lines removed once, every 201 the same answer, the others 409 / 1010 while it runs."""
    user = make_user(password=None)
    make_address(user)
    sku = skus_of(make_product(stock=10))[0]
    kept = make_cart_line(user).id
    body = {"cart_item_ids": [make_cart_line(user, sku, count=2).id]}
    headers = {**auth_headers(user), "Idempotency-Key": "cart-key"}

    def post():
        response = app.test_client().post("/v1/order", json=body, headers=headers)
        return response.status_code, response.get_json()

    results = runner(app, [post] * copies)
    assert all(status in (201, 409) for status, _ in results), results
    created = [payload for status, payload in results if status == 201]
    assert created and all(payload == created[0] for payload in created)
    assert all(payload["error_code"] == 1010 for status, payload in results if status == 409)
    db.session.rollback()
    assert db.session.query(Order).count() == 1
    assert _sku_stock(sku.id) == 8
    assert list(_cart_rows(user.id)) == [kept]
