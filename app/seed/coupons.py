"""Demo coupon templates: one of each kind and type, and one copy of the shop-wide one held by
the demo customer (user 2). Templates are found by name; an existing one is left alone."""

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Coupon
from app.models.coupon import (
    DISCOUNT,
    FULL_REDUCTION,
    KIND_CLAIM,
    KIND_CODE,
    KIND_NEW_USER,
    NO_THRESHOLD,
    SCOPE_ALL,
    SCOPE_CATEGORY,
)
from app.seed.orders import DEMO_USER_ID
from app.services import coupons

TEA_CATEGORY_ID = 6  # 粗茶 (app/seed/catalog.py)
# The template values sent to the coupon service (money as strings); a category list makes a
# category-scoped template, none a shop-wide one.
TEMPLATES = [
    {
        "name": "满99减10",
        "description": "全场通用，满99元减10元",
        "type": FULL_REDUCTION,
        "min_amount": "99.00",
        "amount": "10.00",
        "total": 1000,
        "kind": KIND_CLAIM,
    },
    {
        "name": "茶饮85折",
        "description": "茶饮类商品满30元打85折，最多减20元",
        "type": DISCOUNT,
        "min_amount": "30.00",
        "percent": 85,
        "max_discount": "20.00",
        "category_ids": [TEA_CATEGORY_ID],
        "total": 500,
        "kind": KIND_CLAIM,
    },
    {
        "name": "新人无门槛券",
        "description": "新用户首次登录赠送，无门槛减5元",
        "type": NO_THRESHOLD,
        "min_amount": "0.00",
        "amount": "5.00",
        "total": None,
        "kind": KIND_NEW_USER,
    },
    {
        "name": "兑换码专享券",
        "description": "凭兑换码领取，满50元减15元",
        "type": FULL_REDUCTION,
        "min_amount": "50.00",
        "amount": "15.00",
        "total": 100,
        "kind": KIND_CODE,
    },
]
MONEY = ("min_amount", "amount", "max_discount")
VALID_DAYS = 30


def _template(values: dict) -> dict:
    """The create_template values of a TEMPLATES entry."""
    values = values | {field: Decimal(values[field]) for field in MONEY if field in values}
    scope = SCOPE_CATEGORY if values.get("category_ids") else SCOPE_ALL
    return values | {"scope": scope, "valid_days": VALID_DAYS}


def seed_coupons() -> None:
    """Load the demo coupon templates and the demo customer's copy through the coupon service
    (idempotent: the grant skips a customer who holds the copy)."""
    names = set(db.session.scalars(select(Coupon.name)))
    for values in TEMPLATES:
        if values["name"] not in names:
            coupons.create_template(_template(values))
    shop_wide = db.session.scalar(select(Coupon.id).where(Coupon.name == TEMPLATES[0]["name"]))
    coupons.grant(shop_wide, [DEMO_USER_ID])
