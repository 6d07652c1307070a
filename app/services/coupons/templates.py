"""Coupon templates for staff (/v2/coupon): create, update, switch off, counts, holders, and the
redeem codes of `code` templates."""

import secrets

from sqlalchemy import func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.core.exceptions import (
    CouponKindMismatch,
    CouponQuantityTooLow,
    ParameterException,
)
from app.extensions import db
from app.models import Coupon, CouponCode, CouponStatus, UserCoupon
from app.models.base import assign, now
from app.models.coupon import (
    DISCOUNT,
    FULL_REDUCTION,
    KIND_CLAIM,
    KIND_CODE,
    NO_THRESHOLD,
    SCOPE_ALL,
    SCOPE_CATEGORY,
    SCOPE_PRODUCT,
)
from app.services.coupons.holding import status_filter
from app.services.coupons.issuing import get_template

TEMPLATE_FIELDS = (
    "name",
    "description",
    "type",
    "min_amount",
    "amount",
    "percent",
    "max_discount",
    "scope",
    "category_ids",
    "product_ids",
    "per_user_limit",
    "claim_start",
    "claim_end",
    "valid_start",
    "valid_end",
    "valid_days",
    "enabled",
)
# Code letters without the look-alikes (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def _invalid(field: str, message: str) -> ParameterException:
    return ParameterException(f"{field}: {message}", errors={field: [message]})


def check_template(coupon: Coupon) -> None:
    """The rules across fields of a template as it would be stored (400 / 1000)."""
    if coupon.type in (FULL_REDUCTION, NO_THRESHOLD) and not coupon.amount:
        raise _invalid("amount", "Required for full reduction and no-threshold coupons.")
    if coupon.type == DISCOUNT and coupon.percent is None:
        raise _invalid("percent", "Required for discount coupons (85 pays 85 %).")
    if coupon.type == FULL_REDUCTION and coupon.min_amount < coupon.amount:
        raise _invalid("min_amount", "A full reduction's threshold must be at least its amount.")
    if coupon.scope == SCOPE_CATEGORY and not coupon.category_ids:
        raise _invalid("category_ids", "Required when the scope is category.")
    if coupon.scope == SCOPE_PRODUCT and not coupon.product_ids:
        raise _invalid("product_ids", "Required when the scope is product.")
    if coupon.valid_days is None:
        if coupon.valid_start is None or coupon.valid_end is None:
            raise _invalid("valid_end", "Send valid_days, or valid_start and valid_end.")
        if coupon.valid_start >= coupon.valid_end:
            raise _invalid("valid_end", "Must be after valid_start.")
    elif coupon.valid_start is not None or coupon.valid_end is not None:
        raise _invalid("valid_days", "Send valid_days or a fixed window, not both.")
    if (
        coupon.claim_start is not None
        and coupon.claim_end is not None
        and coupon.claim_start >= coupon.claim_end
    ):
        raise _invalid("claim_end", "Must be after claim_start.")


def _normalize(coupon: Coupon) -> None:
    """Clear what the type and scope do not use, so a stored row says one thing."""
    if coupon.type == DISCOUNT:
        coupon.amount = None
    else:
        coupon.percent = coupon.max_discount = None
    if coupon.type == NO_THRESHOLD:
        coupon.min_amount = 0
    if coupon.scope != SCOPE_CATEGORY:
        coupon.category_ids = []
    if coupon.scope != SCOPE_PRODUCT:
        coupon.product_ids = []


def create_template(values: dict) -> Coupon:
    coupon = Coupon(
        claimed=0,
        kind=values.get("kind", KIND_CLAIM),
        total=values.get("total"),
        scope=SCOPE_ALL,
        category_ids=[],
        product_ids=[],
        min_amount=0,
        description="",
        per_user_limit=1,
        enabled=True,
    )
    assign(coupon, values, TEMPLATE_FIELDS)
    _normalize(coupon)
    check_template(coupon)
    db.session.add(coupon)
    db.session.commit()
    return coupon


def update_template(coupon_id: int, values: dict) -> Coupon:
    """Change the fields sent (`kind` stays); `total` never goes below what was claimed, also
    while claims race (a guarded UPDATE)."""
    coupon = get_template(coupon_id)
    assign(coupon, values, TEMPLATE_FIELDS)
    _normalize(coupon)
    try:
        check_template(coupon)
        if "total" in values:
            total = values["total"]
            db.session.flush()
            moved = db.session.execute(
                update(Coupon)
                .where(Coupon.id == coupon.id, (Coupon.claimed <= total) if total else true())
                .values(total=total)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:
                raise CouponQuantityTooLow(
                    f"{coupon.claimed} already claimed: the quantity cannot be lower",
                    detail={"claimed": coupon.claimed},
                )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return get_template(coupon_id)


def switch_off(coupon_id: int) -> Coupon:
    """Stop claims, codes and grants; copies already held stay usable."""
    coupon = get_template(coupon_id)
    coupon.enabled = False
    db.session.commit()
    return coupon


def template_query(*, kind=None, enabled=None, keyword=None):
    statement = select(Coupon).order_by(Coupon.id.desc())
    if kind:
        statement = statement.where(Coupon.kind == kind)
    if enabled is not None:
        statement = statement.where(Coupon.enabled.is_(enabled))
    if keyword:
        statement = statement.where(Coupon.name.contains(keyword, autoescape=True))
    return statement


def usage_counts(coupon_id: int) -> dict:
    """How many copies are unused, used and expired (held copies, by status as of now)."""
    at = now()
    rows = db.session.execute(
        select(UserCoupon.status, UserCoupon.valid_end > at, func.count())
        .where(UserCoupon.coupon_id == coupon_id)
        .group_by(UserCoupon.status, UserCoupon.valid_end > at)
    ).all()
    counts = {"unused": 0, "used": 0, "expired": 0}
    for status, live, count in rows:
        if status == CouponStatus.USED:
            counts["used"] += count
        elif status == CouponStatus.UNUSED and live:
            counts["unused"] += count
        else:
            counts["expired"] += count
    return counts


def template_detail(coupon_id: int) -> Coupon:
    """The template with `usage` (held copies by status) and `code_count` (code coupons)."""
    coupon = get_template(coupon_id)
    coupon.code_count = None
    if coupon.kind == KIND_CODE:
        coupon.code_count = db.session.scalar(
            select(func.count()).select_from(CouponCode).where(CouponCode.coupon_id == coupon.id)
        )
    coupon.usage = usage_counts(coupon.id)
    return coupon


def holders_query(coupon_id: int, status: str | None = None):
    """The copies of a template, newest first, with their holders."""
    get_template(coupon_id)
    statement = (
        select(UserCoupon)
        .where(UserCoupon.coupon_id == coupon_id)
        .options(selectinload(UserCoupon.user))
        .order_by(UserCoupon.id.desc())
    )
    if status:
        statement = statement.where(status_filter(status, now()))
    return statement


def generate_codes(coupon_id: int, count: int) -> list[CouponCode]:
    """`count` new single-use codes of a `code` template; with a quantity, the codes never
    outnumber it."""
    # A new transaction whose first statement locks the template: concurrent generations
    # run in turn, and each counts the codes the one before committed.
    db.session.rollback()
    db.session.execute(select(Coupon.id).where(Coupon.id == coupon_id).with_for_update())
    coupon = get_template(coupon_id)
    if coupon.kind != KIND_CODE:
        raise CouponKindMismatch("Only code coupons have redeem codes")
    if coupon.total is not None:
        existing = db.session.scalar(
            select(func.count()).select_from(CouponCode).where(CouponCode.coupon_id == coupon.id)
        )
        if existing + count > coupon.total:
            left = coupon.total - existing
            db.session.rollback()
            raise _invalid("count", f"Only {left} more codes fit the quantity {coupon.total}.")
    at = now()
    for _ in range(3):
        codes = [
            CouponCode(
                coupon_id=coupon.id,
                code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                create_time=at,
            )
            for _ in range(count)
        ]
        db.session.add_all(codes)
        try:
            db.session.commit()
            return codes
        except IntegrityError:  # a code already taken (about 1 in 10^17 per code): draw again
            db.session.rollback()
    raise ParameterException("count: codes could not be drawn, try again")


def codes_query(coupon_id: int, used: bool | None = None):
    get_template(coupon_id)
    statement = (
        select(CouponCode).where(CouponCode.coupon_id == coupon_id).order_by(CouponCode.id.desc())
    )
    if used is not None:
        statement = statement.where(
            CouponCode.used_by.is_not(None) if used else CouponCode.used_by.is_(None)
        )
    return statement
