"""Demo coupon templates: one of each kind and type, and one copy of the shop-wide one held by
the demo customer (user 2). Templates are found by name; an existing one is left alone."""

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Coupon
from app.models.coupon import SCOPE_ALL, SCOPE_CATEGORY
from app.seed.orders import DEMO_USER_ID
from app.services import coupons

TEA_CATEGORY_ID = 6  # 粗茶 (app/seed/catalog.py)
# name, description, type, min_amount, amount, percent, max_discount, category ids, total, kind
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


COLUMNS = (
    "name",
    "description",
    "type",
    "min_amount",
    "amount",
    "percent",
    "max_discount",
    "category_ids",
    "total",
    "kind",
)


def _template(row: tuple) -> dict:
    """The create_template values of a TEMPLATES row."""
    values = dict(zip(COLUMNS, row, strict=True))
    money = {field: values[field] for field in ("min_amount", "amount", "max_discount")}
    values |= {field: Decimal(value) for field, value in money.items() if value}
    return values | {
        "scope": SCOPE_CATEGORY if values["category_ids"] else SCOPE_ALL,
        "category_ids": values["category_ids"] or [],
        "valid_days": VALID_DAYS,
    }


def seed_coupons() -> None:
    """Load the demo coupon templates and the demo customer's copy through the coupon service
    (idempotent: the grant skips a customer who holds the copy)."""
    names = set(db.session.scalars(select(Coupon.name)))
    for row in TEMPLATES:
        if row[0] not in names:
            coupons.create_template(_template(row))
    shop_wide = db.session.scalar(select(Coupon.id).where(Coupon.name == TEMPLATES[0][0]))
    coupons.grant(shop_wide, [DEMO_USER_ID])
