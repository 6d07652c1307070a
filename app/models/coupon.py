"""Coupons: templates staff define, the copies customers hold, single-use redeem codes.

A template (`coupon`) says what a coupon takes off (`type`), on which products (`scope`), how
many exist (`total`, null: unlimited) and how many one customer may hold (`per_user_limit`),
when it can be claimed and how long a copy is valid, and how customers get it (`kind`).
`claimed` counts the copies issued; it only moves through the guarded
`UPDATE ... WHERE claimed < total` of app/services/coupons, so it never passes `total`.

A held copy (`user_coupon`) keeps its own validity window (fixed, or `valid_days` from the
claim) and, once used, the order it was used on. A redeem code (`coupon_code`) turns into one
copy for the first customer whose guarded `UPDATE ... WHERE used_by IS NULL` takes it.
"""

import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreateTimeMixin, Money, TimestampMixin

FULL_REDUCTION, DISCOUNT, NO_THRESHOLD = 1, 2, 3
TYPES = (FULL_REDUCTION, DISCOUNT, NO_THRESHOLD)
SCOPE_ALL, SCOPE_CATEGORY, SCOPE_PRODUCT = "all", "category", "product"
SCOPES = (SCOPE_ALL, SCOPE_CATEGORY, SCOPE_PRODUCT)
KIND_CLAIM, KIND_NEW_USER, KIND_CODE = "claim", "new_user", "code"
KINDS = (KIND_CLAIM, KIND_NEW_USER, KIND_CODE)
# How a held copy was issued (user_coupon.source): the kinds, and staff grants.
SOURCE_GRANT = "grant"
SCOPE_IDS_MAX = 100


class CouponStatus(enum.IntEnum):
    UNUSED = 1
    USED = 2
    EXPIRED = 3


class Coupon(TimestampMixin, db.Model):
    """A coupon template."""

    __tablename__ = "coupon"
    __table_args__ = (
        CheckConstraint("claimed >= 0", name="claimed_not_negative"),
        CheckConstraint("total IS NULL OR claimed <= total", name="claimed_within_total"),
        Index("ix_coupon_kind_enabled", "kind", "enabled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(200), default="", server_default="")
    type: Mapped[int] = mapped_column(SmallInteger)
    min_amount = mapped_column(Money, nullable=False, default=0, server_default="0")
    amount = mapped_column(Money, nullable=True)  # types 1 and 3
    percent: Mapped[int | None] = mapped_column(SmallInteger)  # type 2: 85 pays 85 %
    max_discount = mapped_column(Money, nullable=True)  # type 2, null: no cap
    scope: Mapped[str] = mapped_column(String(10), default=SCOPE_ALL, server_default=SCOPE_ALL)
    category_ids: Mapped[list] = mapped_column(JSON, default=list)
    product_ids: Mapped[list] = mapped_column(JSON, default=list)
    total: Mapped[int | None] = mapped_column(Integer)  # null: unlimited
    claimed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    per_user_limit: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    claim_start: Mapped[int | None] = mapped_column(Integer)
    claim_end: Mapped[int | None] = mapped_column(Integer)
    valid_start: Mapped[int | None] = mapped_column(Integer)
    valid_end: Mapped[int | None] = mapped_column(Integer)
    valid_days: Mapped[int | None] = mapped_column(Integer)  # set: valid for days from the claim
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    kind: Mapped[str] = mapped_column(String(10), default=KIND_CLAIM, server_default=KIND_CLAIM)

    # -- rules of a single template
    def claim_open(self, at: int) -> bool:
        return (self.claim_start is None or self.claim_start <= at) and (
            self.claim_end is None or at < self.claim_end
        )

    def sold_out(self) -> bool:
        return self.total is not None and self.claimed >= self.total

    def window_from(self, at: int) -> tuple[int, int]:
        """The validity window of a copy claimed at `at`."""
        if self.valid_days is not None:
            return at, at + self.valid_days * 86400
        return self.valid_start, self.valid_end

    def in_scope(self, product_id: int, category_id: int | None) -> bool:
        if self.scope == SCOPE_PRODUCT:
            return product_id in (self.product_ids or [])
        if self.scope == SCOPE_CATEGORY:
            return category_id is not None and category_id in (self.category_ids or [])
        return True

    @property
    def threshold(self) -> Decimal:
        return Decimal("0.00") if self.type == NO_THRESHOLD else self.min_amount


class UserCoupon(TimestampMixin, db.Model):
    """A copy of a template held by a customer; `create_time` is the claim time."""

    __tablename__ = "user_coupon"
    __table_args__ = (
        Index("ix_user_coupon_user_id_status", "user_id", "status", "valid_end"),
        Index("ix_user_coupon_user_id_coupon_id", "user_id", "coupon_id"),
        Index("ix_user_coupon_coupon_id_status", "coupon_id", "status"),
        Index("ix_user_coupon_status_valid_end", "status", "valid_end"),  # the expiry sweep
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupon.id"))
    status: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    valid_start: Mapped[int] = mapped_column(Integer)
    valid_end: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10))
    # The order it was used on (no foreign key: order.user_coupon_id points here, and a
    # returned copy keeps neither).
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    use_time: Mapped[int | None] = mapped_column(Integer)

    coupon = relationship("Coupon", lazy="joined", innerjoin=True)
    user = relationship("User", lazy="select")

    @property
    def claim_time(self) -> int:
        return self.create_time

    def state(self, at: int) -> int:
        """The status as of `at`: an unused copy past its window reads as expired."""
        if self.status == CouponStatus.UNUSED and self.valid_end <= at:
            return CouponStatus.EXPIRED
        return self.status

    def usable_at(self, at: int) -> bool:
        return self.status == CouponStatus.UNUSED and self.valid_start <= at < self.valid_end


class CouponCode(CreateTimeMixin, db.Model):
    """A single-use redeem code of a `code` template."""

    __tablename__ = "coupon_code"
    __table_args__ = (Index("ix_coupon_code_coupon_id_id", "coupon_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupon.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    used_time: Mapped[int | None] = mapped_column(Integer)
    user_coupon_id: Mapped[int | None] = mapped_column(ForeignKey("user_coupon.id"))
