"""A customer's coupons: what they can claim, what they hold, and the checkout steps (the offers
on a basket, using a copy on an order, giving it back when the order is cancelled)."""

from dataclasses import replace
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select, update

from app.core import metrics
from app.core.exceptions import CouponNotUsable, UserCouponNotFound
from app.extensions import db
from app.models import Coupon, CouponStatus, Order, UserCoupon
from app.models.coupon import KIND_CLAIM
from app.services.coupons import pricing

UNUSED, USED, EXPIRED = "unused", "used", "expired"
STATUSES = (UNUSED, USED, EXPIRED)


def status_filter(status: str, at: int):
    """The copies of a status as of `at` (an unused copy past its window is expired)."""
    if status == UNUSED:
        return and_(UserCoupon.status == CouponStatus.UNUSED, UserCoupon.valid_end > at)
    if status == USED:
        return UserCoupon.status == CouponStatus.USED
    return or_(
        UserCoupon.status == CouponStatus.EXPIRED,
        and_(UserCoupon.status == CouponStatus.UNUSED, UserCoupon.valid_end <= at),
    )


def claimable(user_id: int, at: int) -> list[dict]:
    """GET /v1/coupon: the claimable templates open now, each with the caller's holding. Two
    statements."""
    templates = db.session.scalars(
        select(Coupon)
        .where(
            Coupon.kind == KIND_CLAIM,
            Coupon.enabled.is_(True),
            or_(Coupon.claim_start.is_(None), Coupon.claim_start <= at),
            or_(Coupon.claim_end.is_(None), Coupon.claim_end > at),
            or_(Coupon.valid_days.is_not(None), Coupon.valid_end > at),
        )
        .order_by(Coupon.id.desc())
    ).all()
    held = dict(
        db.session.execute(
            select(UserCoupon.coupon_id, func.count())
            .where(
                UserCoupon.user_id == user_id,
                UserCoupon.coupon_id.in_([coupon.id for coupon in templates]),
            )
            .group_by(UserCoupon.coupon_id)
        ).all()
    )
    return [
        {
            "coupon": coupon,
            "held": held.get(coupon.id, 0),
            "can_claim": held.get(coupon.id, 0) < coupon.per_user_limit and not coupon.sold_out(),
        }
        for coupon in templates
    ]


def mine_query(user_id: int, status: str, at: int):
    """GET /v1/coupon/mine: unused copies soonest to end first; used and expired newest first."""
    statement = select(UserCoupon).where(UserCoupon.user_id == user_id, status_filter(status, at))
    if status == UNUSED:
        return statement.order_by(UserCoupon.valid_end, UserCoupon.id)
    return statement.order_by(UserCoupon.id.desc())


def get_held(user_id: int, held_id: int, *, detached: bool = False) -> UserCoupon:
    """One of the caller's copies (another user's id answers 404 / 52060). `detached`: read
    with Core and answered as objects outside the session, with their template (placing an
    order only reads them: no ORM identity map or loading on its hot path)."""
    if detached:
        held = _detached_held(user_id, held_id)
    else:
        held = db.session.scalar(
            select(UserCoupon).where(UserCoupon.id == held_id, UserCoupon.user_id == user_id)
        )
    if held is None:
        raise UserCouponNotFound()
    return held


# What a placement reads of a copy and its template: what pricing and the refusals use.
_COPY_COLUMNS = ("id", "user_id", "coupon_id", "status", "valid_start", "valid_end")
_TEMPLATE_COLUMNS = (
    "id",
    "name",
    "type",
    "min_amount",
    "amount",
    "percent",
    "max_discount",
    "scope",
    "category_ids",
    "product_ids",
)


@cache
def _detached_statement():
    copies, templates = UserCoupon.__table__, Coupon.__table__
    return (
        select(
            *(copies.c[name] for name in _COPY_COLUMNS),
            *(templates.c[name] for name in _TEMPLATE_COLUMNS),
        )
        .join(templates, templates.c.id == copies.c.coupon_id)
        .where(copies.c.id == bindparam("held_id"), copies.c.user_id == bindparam("user_id"))
    )


def _detached_held(user_id: int, held_id: int) -> UserCoupon | None:
    parameters = {"held_id": held_id, "user_id": user_id}
    row = db.session.connection().execute(_detached_statement(), parameters).first()
    if row is None:
        return None
    split = len(_COPY_COLUMNS)
    held = UserCoupon(**dict(zip(_COPY_COLUMNS, row[:split], strict=True)))
    held.coupon = Coupon(**dict(zip(_TEMPLATE_COLUMNS, row[split:], strict=True)))
    return held


def held_for_checkout(user_id: int, at: int) -> list[UserCoupon]:
    """The caller's unused copies not yet ended, with their templates: one statement."""
    return db.session.scalars(
        select(UserCoupon)
        .where(UserCoupon.user_id == user_id, status_filter(UNUSED, at))
        .order_by(UserCoupon.valid_end, UserCoupon.id)
    ).all()


def held_offer(held: UserCoupon, lines: list[pricing.PricedLine], room, at: int) -> pricing.Offer:
    """What a held copy gives on the basket now, or why it cannot be used."""
    coupon = held.coupon
    if held.status == CouponStatus.USED:
        result = pricing.refused(coupon, pricing.USED, "This coupon has been used")
    elif held.state(at) == CouponStatus.EXPIRED:
        result = pricing.refused(coupon, pricing.EXPIRED, "This coupon has expired")
    elif held.valid_start > at:
        result = pricing.refused(coupon, pricing.NOT_STARTED, "This coupon is not valid yet")
    else:
        result = pricing.offer(coupon, lines, room)
    return replace(result, held=held)


def use(held_id: int, user_id: int, order_id: int, at: int) -> None:
    """Mark the copy used on the order: a guarded UPDATE (still the user's, unused, valid now),
    so of two orders racing for one copy exactly one gets it. Does not commit."""
    copies = UserCoupon.__table__
    taken = db.session.connection().execute(
        update(copies)
        .where(
            copies.c.id == held_id,
            copies.c.user_id == user_id,
            copies.c.status == CouponStatus.UNUSED,
            copies.c.valid_start <= at,
            copies.c.valid_end > at,
        )
        .values(status=CouponStatus.USED, order_id=order_id, use_time=at, update_time=at)
    )
    if taken.rowcount != 1:
        metrics.coupon_conflict("used")
        raise CouponNotUsable(
            "This coupon has been used or has expired",
            detail={"user_coupon_id": held_id, "reason": pricing.USED},
        )


def give_back(order_id: int, at: int) -> None:
    """An unpaid order cancelled or expired: its copy is unused again while still valid, else
    expired. Does not commit."""
    used_on = (UserCoupon.order_id == order_id, UserCoupon.status == CouponStatus.USED)
    db.session.execute(
        update(UserCoupon)
        .where(*used_on, UserCoupon.valid_end > at)
        .values(status=CouponStatus.UNUSED, order_id=None, use_time=None, update_time=at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(UserCoupon)
        .where(*used_on, UserCoupon.valid_end <= at)
        .values(status=CouponStatus.EXPIRED, update_time=at)
        .execution_options(synchronize_session=False)
    )


def take_back(order_id: int, at: int) -> bool:
    """An order paid after it was cancelled: its coupon, given back on cancelling, is used
    again if it is still unused (a copy already spent elsewhere stays so). Does not commit."""
    held_id = select(Order.user_coupon_id).where(Order.id == order_id).scalar_subquery()
    taken = db.session.execute(
        update(UserCoupon)
        .where(UserCoupon.id == held_id, UserCoupon.status == CouponStatus.UNUSED)
        .values(status=CouponStatus.USED, order_id=order_id, use_time=at, update_time=at)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def expire_held(at: int) -> int:
    """Mark unused copies past their window expired (the `order expire` command); reads treat
    them as expired anyway. Answers how many."""
    done = db.session.execute(
        update(UserCoupon)
        .where(UserCoupon.status == CouponStatus.UNUSED, UserCoupon.valid_end <= at)
        .values(status=CouponStatus.EXPIRED, update_time=at)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount
