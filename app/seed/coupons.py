"""Demo coupon templates: one of each kind and type, and one copy of the shop-wide one held by
the demo customer (user 2). Templates are found by name; an existing one is left alone."""

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Coupon, UserCoupon
from app.models.base import now
from app.seed.orders import DEMO_USER_ID

TEA_CATEGORY_ID = 6  # 粗茶 (app/seed/catalog.py)
# name, description, type, min_amount, amount, percent, max_discount, scope ids, total, kind
TEMPLATES = [
    ("满99减10", "全场通用，满99元减10元", 1, "99.00", "10.00", None, None, None, 1000, "claim"),
    (
        "茶饮85折",
        "茶饮类商品满30元打85折，最多减20元",
        2,
        "30.00",
        None,
        85,
        "20.00",
        [TEA_CATEGORY_ID],
        500,
        "claim",
    ),
    (
        "新人无门槛券",
        "新用户首次登录赠送，无门槛减5元",
        3,
        "0.00",
        "5.00",
        None,
        None,
        None,
        None,
        "new_user",
    ),
    (
        "兑换码专享券",
        "凭兑换码领取，满50元减15元",
        1,
        "50.00",
        "15.00",
        None,
        None,
        None,
        100,
        "code",
    ),
]
VALID_DAYS = 30


def seed_coupons() -> None:
    """Load the demo coupon templates and the demo customer's copy (idempotent)."""
    names = set(db.session.scalars(select(Coupon.name)))
    for (
        name,
        description,
        kind_type,
        min_amount,
        amount,
        percent,
        cap,
        ids,
        total,
        kind,
    ) in TEMPLATES:
        if name in names:
            continue
        db.session.add(
            Coupon(
                name=name,
                description=description,
                type=kind_type,
                min_amount=Decimal(min_amount),
                amount=Decimal(amount) if amount else None,
                percent=percent,
                max_discount=Decimal(cap) if cap else None,
                scope="category" if ids else "all",
                category_ids=ids or [],
                product_ids=[],
                total=total,
                claimed=0,
                per_user_limit=1,
                valid_days=VALID_DAYS,
                enabled=True,
                kind=kind,
            )
        )
    db.session.flush()
    shop_wide = db.session.scalar(select(Coupon).where(Coupon.name == TEMPLATES[0][0]))
    held = db.session.scalar(
        select(UserCoupon.id).where(
            UserCoupon.user_id == DEMO_USER_ID, UserCoupon.coupon_id == shop_wide.id
        )
    )
    if held is None:
        at = now()
        db.session.add(
            UserCoupon(
                user_id=DEMO_USER_ID,
                coupon_id=shop_wide.id,
                status=1,
                valid_start=at,
                valid_end=at + VALID_DAYS * 86400,
                source="grant",
                create_time=at,
            )
        )
        shop_wide.claimed += 1
    db.session.commit()
