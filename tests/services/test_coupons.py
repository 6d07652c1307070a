"""Coupons: the arithmetic, the claim rules, codes, grants, new-user coupons, and a coupon's
life on an order (used with the stock reservation, given back on cancel or expiry while valid,
kept on refund). The races are in test_coupon_races.py."""

from decimal import Decimal

import pytest
import responses
from sqlalchemy import func, select

from app.core.exceptions import (
    CouponCodeNotFound,
    CouponCodeUsed,
    CouponLimitReached,
    CouponNotClaimable,
    CouponNotUsable,
    CouponOff,
    CouponSoldOut,
    UserCouponNotFound,
    all_exceptions,
)
from app.extensions import db
from app.models import Coupon, CouponCode, Order, Sku, UserCoupon
from app.models.base import now
from app.services import coupons, orders
from app.services.coupons import pricing
from tests.factories import (
    JSCODE2SESSION_URL,
    give_coupon,
    make_address,
    make_coupon,
    make_coupon_code,
    make_order,
    make_product,
    make_user,
    pay_order,
    skus_of,
    wechat_configured,
)

D = Decimal


def _template(**fields) -> Coupon:
    return Coupon(
        **{
            "type": 1,
            "min_amount": D("0.00"),
            "amount": D("10.00"),
            "scope": "all",
            "category_ids": [],
            "product_ids": [],
            **fields,
        }
    )


# ------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    "discount,totals,shares",
    [
        ("10.00", ["70.00", "50.00"], ["5.83", "4.17"]),
        ("10.00", ["10.00", "10.00", "10.00"], ["3.34", "3.33", "3.33"]),
        ("0.01", ["1.00", "1.00", "1.00"], ["0.01", "0.00", "0.00"]),
        ("0.02", ["0.01", "5.00", "5.00"], ["0.00", "0.01", "0.01"]),
        ("30.00", ["30.00"], ["30.00"]),
        ("0.00", ["1.00", "2.00"], ["0.00", "0.00"]),
        ("9.99", ["3.33", "3.33", "3.34"], ["3.33", "3.33", "3.33"]),
    ],
)
def test_allocate_shares_by_largest_remainder_to_the_fen(discount, totals, shares):
    got = pricing.allocate(D(discount), [D(total) for total in totals])
    assert got == [D(share) for share in shares]
    assert sum(got) == D(discount)
    assert all(D(0) <= share <= D(total) for share, total in zip(got, totals, strict=True))


def test_allocate_never_loses_a_fen_over_many_baskets():
    import random

    rng = random.Random(13)
    for _ in range(500):
        totals = [D(rng.randint(1, 100000)) / 100 for _ in range(rng.randint(1, 20))]
        discount = D(rng.randint(0, int(sum(totals) * 100))) / 100
        got = pricing.allocate(discount, totals)
        assert sum(got) == discount
        assert all(D(0) <= share <= total for share, total in zip(got, totals, strict=True))


@pytest.mark.parametrize(
    "fields,eligible,expected",
    [
        ({"type": 2, "percent": 85}, "33.33", "5.00"),  # 4.9995 rounds half-up
        ({"type": 2, "percent": 85}, "33.30", "5.00"),  # 4.995 rounds half-up
        ({"type": 2, "percent": 85}, "33.20", "4.98"),
        ({"type": 2, "percent": 99}, "0.49", "0.00"),  # 0.0049 rounds down
        ({"type": 2, "percent": 99}, "0.50", "0.01"),  # 0.005 rounds up
        ({"type": 2, "percent": 50, "max_discount": D("20.00")}, "100.00", "20.00"),
        ({"type": 2, "percent": 50, "max_discount": D("20.00")}, "30.00", "15.00"),
        ({"type": 1, "amount": D("10.00")}, "8.00", "8.00"),  # never above the eligible
        ({"type": 3, "amount": D("5.00")}, "4.99", "4.99"),
    ],
)
def test_nominal_discount_rounds_half_up_is_capped_and_bounded(fields, eligible, expected):
    assert pricing.nominal_discount(_template(**fields), D(eligible)) == D(expected)


def test_offer_threshold_counts_eligible_lines_only_and_scope_is_respected():
    lines = [pricing.PricedLine(1, 10, D("60.00")), pricing.PricedLine(2, 20, D("80.00"))]
    by_product = _template(min_amount=D("100.00"), scope="product", product_ids=[1])
    offer = pricing.offer(by_product, lines, D("1000"))
    assert (offer.reason_code, offer.eligible, offer.eligible_amount) == ("threshold", (0,), 60)
    assert "40.00 more" in offer.reason
    by_category = _template(min_amount=D("50.00"), scope="category", category_ids=[20])
    offer = pricing.offer(by_category, lines, D("1000"))
    assert (offer.usable, offer.discount, offer.eligible) == (True, D("10.00"), (1,))
    nowhere = _template(scope="category", category_ids=[99])
    assert pricing.offer(nowhere, lines, D("1000")).reason_code == "scope"
    assert pricing.offer(_template(amount=D("500.00")), lines, D("139.99")).discount == D("139.99")


def test_coupon_codes_are_only_those_of_the_coupon_range():
    mine = [cls for cls in all_exceptions() if cls.__name__.startswith(("Coupon", "UserCoupon"))]
    assert len(mine) == 11
    assert all(52010 <= cls.error_code <= 52099 for cls in mine)
    with open("code.md", encoding="utf-8") as table:
        section = table.read().split("## Coupons")[1]
    assert {cls.error_code for cls in mine} == {
        int(line.split("|")[1]) for line in section.splitlines() if line.startswith("| 52")
    }


# ------------------------------------------------------------------ claims


def test_claim_issues_a_copy_with_its_window_and_counts_it(customer):
    coupon = make_coupon(valid_days=7, total=3)
    held = coupons.claim(customer.id, coupon.id)
    assert (held.user_id, held.status, held.source) == (customer.id, 1, "claim")
    assert held.valid_end - held.valid_start == 7 * 86400
    assert db.session.get(Coupon, coupon.id).claimed == 1


def test_claim_fixed_window_copies_keep_the_template_window(customer):
    at = now()
    coupon = make_coupon(valid_days=None, valid_start=at - 10, valid_end=at + 3600)
    held = coupons.claim(customer.id, coupon.id)
    assert (held.valid_start, held.valid_end) == (at - 10, at + 3600)


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"enabled": False}, CouponOff),
        ({"claim_start": 2000000000}, CouponNotClaimable),
        ({"claim_end": 1}, CouponNotClaimable),
        ({"valid_days": None, "valid_start": 1, "valid_end": 2}, CouponNotClaimable),
        ({"kind": "code"}, CouponNotClaimable),
        ({"kind": "new_user"}, CouponNotClaimable),
        ({"total": 2, "claimed": 2}, CouponSoldOut),
    ],
)
def test_claim_refusals_have_their_own_codes_and_issue_nothing(customer, fields, error):
    coupon = make_coupon(**fields)
    with pytest.raises(error):
        coupons.claim(customer.id, coupon.id)
    assert db.session.query(UserCoupon).count() == 0
    assert db.session.get(Coupon, coupon.id).claimed == fields.get("claimed", 0)


def test_claim_past_the_per_user_limit_is_refused(customer):
    coupon = make_coupon(per_user_limit=2)
    coupons.claim(customer.id, coupon.id)
    coupons.claim(customer.id, coupon.id)
    with pytest.raises(CouponLimitReached):
        coupons.claim(customer.id, coupon.id)
    assert db.session.get(Coupon, coupon.id).claimed == 2


# ------------------------------------------------------------------ codes and grants


def test_redeem_turns_a_code_into_a_copy_once(customer, other_customer):
    code = make_coupon_code(make_coupon(kind="code", total=2), "ABCD2345EFGH")
    held = coupons.redeem(customer.id, " abcd2345efgh ")
    assert (held.user_id, held.source) == (customer.id, "code")
    row = db.session.get(CouponCode, code.id)
    assert (row.used_by, row.user_coupon_id) == (customer.id, held.id)
    with pytest.raises(CouponCodeUsed):
        coupons.redeem(other_customer.id, "ABCD2345EFGH")
    with pytest.raises(CouponCodeNotFound):
        coupons.redeem(other_customer.id, "NOSUCHCODE")
    assert db.session.query(UserCoupon).count() == 1


def test_redeem_over_the_limit_leaves_the_code_free(customer):
    coupon = make_coupon(kind="code")
    make_coupon_code(coupon, "FIRST")
    second = make_coupon_code(coupon, "SECOND")
    coupons.redeem(customer.id, "FIRST")
    with pytest.raises(CouponLimitReached):
        coupons.redeem(customer.id, "SECOND")
    assert db.session.get(CouponCode, second.id).used_by is None


def test_grant_skips_customers_at_their_limit_and_is_all_or_nothing(customer, other_customer):
    coupon = make_coupon(total=3)
    give_coupon(customer, coupon)
    third = make_user()
    assert coupons.grant(coupon.id, [customer.id, other_customer.id, third.id]) == {
        "granted": [other_customer.id, third.id],
        "skipped": [customer.id],
    }
    fourth, fifth = make_user(), make_user()
    with pytest.raises(CouponSoldOut):
        coupons.grant(coupon.id, [fourth.id, fifth.id])
    assert db.session.get(Coupon, coupon.id).claimed == 3
    assert db.session.query(UserCoupon).filter_by(coupon_id=coupon.id).count() == 3


# ------------------------------------------------------------------ new-user coupons


def _new_user_templates():
    return [
        make_coupon(kind="new_user", name="新人券"),
        make_coupon(kind="new_user", name="新人券2", type=3, min_amount="0.00", amount="3.00"),
        make_coupon(kind="new_user", enabled=False),
        make_coupon(kind="new_user", total=1, claimed=1),
        make_coupon(kind="claim"),
    ]


def test_first_password_login_grants_new_user_coupons_once(client):
    welcome, small, *_ = _new_user_templates()
    user = make_user(email="new@example.com")
    body = {"type": 101, "account": "new@example.com", "secret": "correct-horse-42"}
    assert client.post("/v1/token", json=body).status_code in (200, 201)
    held = db.session.scalars(select(UserCoupon.coupon_id).where(UserCoupon.user_id == user.id))
    assert sorted(held) == [welcome.id, small.id]
    assert client.post("/v1/token", json=body).status_code in (200, 201)
    assert db.session.query(UserCoupon).filter_by(user_id=user.id).count() == 2


def test_first_wechat_login_grants_new_user_coupons(app, client):
    welcome, small, *_ = _new_user_templates()
    with wechat_configured(app) as mock:
        mock.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-new", "session_key": "k"})
        mock.add(responses.GET, JSCODE2SESSION_URL, json={"openid": "o-new", "session_key": "k"})
        first = client.post("/v1/token", json={"type": 200, "account": "code-1"})
        assert first.status_code in (200, 201), first.get_json()
        again = client.post("/v1/token", json={"type": 200, "account": "code-2"})
        assert again.status_code in (200, 201)
    uid = first.get_json()["data"]["uid"]
    rows = db.session.scalars(select(UserCoupon).where(UserCoupon.user_id == uid)).all()
    assert sorted(row.coupon_id for row in rows) == [welcome.id, small.id]
    assert {row.source for row in rows} == {"new_user"}


def test_staff_logins_get_no_new_user_coupons(client):
    _new_user_templates()
    make_user(email="boss@example.com", auth=2)
    body = {"type": 101, "account": "boss@example.com", "secret": "correct-horse-42"}
    assert client.post("/v1/token", json=body).status_code in (200, 201)
    assert db.session.query(UserCoupon).count() == 0


# ------------------------------------------------------------------ on orders


def _couponed_order(user, price="150.00", stock=5, **coupon_fields):
    product = make_product(price=price, stock=stock)
    held = give_coupon(user, make_coupon(**coupon_fields))
    make_address(user)
    order = orders.place_order(
        user.id, [{"product_id": product.id, "count": 1}], user_coupon_id=held.id
    )
    return product, held, order


def _held(held_id) -> UserCoupon:
    db.session.expire_all()
    return db.session.get(UserCoupon, held_id)


def test_placing_marks_the_coupon_used_with_the_order(customer):
    _, held, order = _couponed_order(customer)
    row = _held(held.id)
    assert (row.status, row.order_id, row.use_time) == (2, order.id, order.create_time)
    assert (order.user_coupon_id, order.coupon_discount, order.pay_amount) == (
        held.id,
        D("10.00"),
        D("140.00"),
    )


def test_a_used_coupon_is_refused_and_the_refused_order_reserves_nothing(customer):
    product, held, _ = _couponed_order(customer)
    stock = db.session.get(Sku, skus_of(product)[0].id).stock
    with pytest.raises(CouponNotUsable) as refused:
        orders.place_order(
            customer.id, [{"product_id": product.id, "count": 1}], user_coupon_id=held.id
        )
    assert refused.value.detail == {"user_coupon_id": held.id, "reason": "used"}
    db.session.expire_all()
    assert db.session.get(Sku, skus_of(product)[0].id).stock == stock
    assert db.session.query(Order).count() == 1


def test_threshold_not_met_by_the_eligible_lines_refuses_the_order(customer):
    inside, outside = make_product(price="60.00"), make_product(price="80.00")
    held = give_coupon(
        customer, make_coupon(min_amount="100.00", scope="product", product_ids=[inside.id])
    )
    make_address(customer)
    items = [{"product_id": inside.id, "count": 1}, {"product_id": outside.id, "count": 1}]
    quote = orders.preview_order(customer.id, items, user_coupon_id=held.id)
    assert (quote.problem.code, quote.coupon.reason_code, quote.coupon_discount) == (
        "coupon",
        "threshold",
        D("0.00"),
    )
    with pytest.raises(CouponNotUsable) as refused:
        orders.place_order(customer.id, items, user_coupon_id=held.id)
    assert refused.value.detail["reason"] == "threshold"
    assert _held(held.id).status == 1
    assert db.session.get(Sku, skus_of(inside)[0].id).stock == 100


def test_another_users_coupon_is_404(customer, other_customer):
    held = give_coupon(other_customer)
    product = make_product(price="200.00")
    make_address(customer)
    with pytest.raises(UserCouponNotFound):
        orders.place_order(
            customer.id, [{"product_id": product.id, "count": 1}], user_coupon_id=held.id
        )
    with pytest.raises(UserCouponNotFound):
        orders.preview_order(
            customer.id, [{"product_id": product.id, "count": 1}], user_coupon_id=held.id
        )
    assert _held(held.id).status == 1


def test_a_coupon_not_valid_yet_or_expired_is_refused(customer):
    product = make_product(price="200.00")
    make_address(customer)
    items = [{"product_id": product.id, "count": 1}]
    later = give_coupon(customer, at=now() + 3600)
    over = give_coupon(customer, valid_start=1, valid_end=2)
    for held, reason in ((later, "not_started"), (over, "expired")):
        with pytest.raises(CouponNotUsable) as refused:
            orders.place_order(customer.id, items, user_coupon_id=held.id)
        assert refused.value.detail["reason"] == reason


def test_cancelling_an_unpaid_order_gives_the_coupon_back(customer):
    _, held, order = _couponed_order(customer)
    orders.cancel_order(order.id, "customer", customer.id, user_id=customer.id)
    row = _held(held.id)
    assert (row.status, row.order_id, row.use_time) == (1, None, None)
    assert db.session.get(Order, order.id).user_coupon_id == held.id  # the order remembers


def test_cancelling_after_the_coupon_ended_leaves_it_expired(customer):
    _, held, order = _couponed_order(customer)
    db.session.query(UserCoupon).filter_by(id=held.id).update({"valid_end": now() - 1})
    db.session.commit()
    orders.cancel_order(order.id, "customer", customer.id, user_id=customer.id)
    assert (_held(held.id).status, _held(held.id).order_id) == (3, order.id)


def test_expiry_gives_the_coupon_back_and_marks_ended_copies_expired(customer):
    _, held, order = _couponed_order(customer)
    ended = give_coupon(customer, valid_start=1, valid_end=2)
    db.session.query(Order).filter_by(id=order.id).update({"expire_time": 1})
    db.session.commit()
    report = orders.expire_orders()
    assert report["cancelled"] == 1 and report["coupons_expired"] == 1
    assert _held(held.id).status == 1 and _held(ended.id).status == 3


def test_a_refund_keeps_the_coupon_used(customer, super_admin):
    _, held, order = _couponed_order(customer)
    pay_order(order)
    refund = orders.start_refund(db.session.get(Order, order.id), super_admin.id, "test")
    orders.settle_refund(refund.id, "SUCCESS", actor_type="wechat")
    assert db.session.get(Order, order.id).order_status == 9
    assert (_held(held.id).status, _held(held.id).order_id) == (2, order.id)


def test_paid_after_cancel_takes_the_coupon_back_if_still_unused(customer):
    _, held, order = _couponed_order(customer)
    orders.cancel_order(order.id, "customer", customer.id, user_id=customer.id)
    assert _held(held.id).status == 1
    pay_order(db.session.get(Order, order.id))
    assert db.session.get(Order, order.id).order_status == 4
    assert (_held(held.id).status, _held(held.id).order_id) == (2, order.id)


def test_orders_without_a_coupon_are_unchanged_by_coupons(customer):
    give_coupon(customer, make_coupon(min_amount="0.00"))
    order = make_order(customer, (make_product(price="9.90"), 2))
    assert (order.user_coupon_id, order.coupon_discount, order.total_price) == (
        None,
        D("0.00"),
        D("19.80"),
    )
    assert db.session.scalar(select(func.count()).where(UserCoupon.status == 1)) == 1
