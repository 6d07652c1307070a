"""Coupon races on MariaDB (threads, one session each; see test_concurrency.py): the quantity,
the per-user limit, a redeem code and one coupon on two orders never give away a copy or a
discount twice. The same scenarios run one after another on any database."""

import pytest
from sqlalchemy import select

from app.core.exceptions import (
    CouponCodeUsed,
    CouponLimitReached,
    CouponNotUsable,
    CouponSoldOut,
)
from app.extensions import db
from app.models import Coupon, CouponCode, Order, Sku, UserCoupon
from app.services import coupons, orders
from tests.factories import (
    give_coupon,
    make_address,
    make_coupon,
    make_coupon_code,
    make_product,
    make_user,
    skus_of,
)
from tests.helpers import race


def _fresh():
    db.session.rollback()  # a new snapshot (MariaDB's repeatable read)


def _ok(results):
    return [result for result in results if not isinstance(result, Exception)]


@race()
def test_fifty_claims_of_ten_copies_issue_exactly_ten(app, runner):
    coupon_id = make_coupon(total=10).id
    user_ids = [make_user(password=None).id for _ in range(50)]

    def claim(user_id):
        return lambda: coupons.claim(user_id, coupon_id).id

    results = runner(app, [claim(user_id) for user_id in user_ids])
    assert all(isinstance(r, (int, CouponSoldOut)) for r in results), results
    assert len(_ok(results)) == 10
    _fresh()
    assert db.session.get(Coupon, coupon_id).claimed == 10
    holders = db.session.scalars(
        select(UserCoupon.user_id).where(UserCoupon.coupon_id == coupon_id)
    )
    assert len(set(holders.all())) == 10


@race()
def test_one_user_racing_ten_claims_with_a_limit_of_one_gets_one(app, runner):
    coupon_id = make_coupon(per_user_limit=1).id
    user_id = make_user(password=None).id
    results = runner(app, [lambda: coupons.claim(user_id, coupon_id).id for _ in range(10)])
    assert all(isinstance(r, (int, CouponLimitReached)) for r in results), results
    assert len(_ok(results)) == 1
    _fresh()
    assert db.session.get(Coupon, coupon_id).claimed == 1
    assert db.session.query(UserCoupon).filter_by(user_id=user_id).count() == 1


@race()
def test_one_redeem_code_by_two_users_at_once_goes_to_one(app, runner):
    coupon = make_coupon(kind="code", total=5)
    code_id = make_coupon_code(coupon, "RACECODE1").id
    user_ids = [make_user(password=None).id for _ in range(2)]
    results = runner(app, [lambda uid=uid: coupons.redeem(uid, "RACECODE1").id for uid in user_ids])
    assert all(isinstance(r, (int, CouponCodeUsed)) for r in results), results
    assert len(_ok(results)) == 1
    _fresh()
    row = db.session.get(CouponCode, code_id)
    winner = db.session.get(UserCoupon, _ok(results)[0])
    assert (row.used_by, row.user_coupon_id) == (winner.user_id, winner.id)
    assert db.session.get(Coupon, coupon.id).claimed == 1
    assert db.session.query(UserCoupon).count() == 1


@race()
@pytest.mark.parametrize("same_product", [True, False], ids=["same product", "other products"])
def test_one_coupon_on_two_concurrent_orders_is_used_once(app, runner, same_product):
    user = make_user(password=None)
    make_address(user)
    user_id = user.id  # ids only: the threads must not touch this session's rows
    first = make_product(price="150.00", stock=5)
    second = first if same_product else make_product(price="150.00", stock=5)
    held_id = give_coupon(user, make_coupon()).id
    sku_ids = [skus_of(first)[0].id, skus_of(second)[0].id]
    first_id, second_id = first.id, second.id

    def buy(product_id):
        items = [{"product_id": product_id, "count": 1}]
        return lambda: orders.place_order(user_id, items, user_coupon_id=held_id).id

    results = runner(app, [buy(first_id), buy(second_id)])
    assert all(isinstance(r, (int, CouponNotUsable)) for r in results), results
    placed = _ok(results)
    assert len(placed) == 1
    _fresh()
    order = db.session.get(Order, placed[0])
    assert (order.user_coupon_id, str(order.pay_amount)) == (held_id, "140.00")
    held = db.session.get(UserCoupon, held_id)
    assert (held.status, held.order_id) == (2, order.id)
    assert db.session.query(Order).count() == 1
    # the refused order reserved nothing: one unit left the stock, the winner's
    stock = sum(db.session.get(Sku, sku_id).stock for sku_id in set(sku_ids))
    assert stock == (4 if same_product else 9)


@race()
def test_concurrent_first_logins_grant_the_new_user_coupon_once(app, runner):
    coupon_id = make_coupon(kind="new_user", per_user_limit=3).id
    user = make_user(email="first@example.com")
    user_id = user.id
    body = {"type": 101, "account": "first@example.com", "secret": "correct-horse-42"}

    def login():
        return app.test_client().post("/v1/token", json=body).status_code

    results = runner(app, [login for _ in range(5)])
    assert all(status in (200, 201) for status in results), results
    _fresh()
    held = db.session.scalars(select(UserCoupon).where(UserCoupon.user_id == user_id)).all()
    assert [(row.coupon_id, row.source) for row in held] == [(coupon_id, "new_user")]
    assert db.session.get(Coupon, coupon_id).claimed == 1
