"""Favourites and footprints: the products a customer keeps, and the ones they opened.

Both are the owner's alone and are deleted for real.
"""

from sqlalchemy import ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreateTimeMixin, TimestampMixin

DELETED, OFF_SALE = "deleted", "off_sale"  # why a kept product cannot be bought


def product_problem(product) -> str | None:
    """Why a product (read with deleted rows included) cannot be bought now, or None."""
    if product is None or product.delete_time is not None:
        return DELETED
    if not product.on_sale:
        return OFF_SALE
    return None


class Favorite(CreateTimeMixin, db.Model):
    """A product the user keeps. UNIQUE (user_id, product_id): adding it again is a no-op."""

    __tablename__ = "favorite"
    __table_args__ = (UniqueConstraint("user_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)

    product = relationship("Product", lazy="select")

    @property
    def invalid_reason(self) -> str | None:
        return product_problem(self.product)


class Footprint(TimestampMixin, db.Model):
    """A product the user opened on one local day (`day` = YYYYMMDD in TIMEZONE); opening it
    again that day moves `update_time`. UNIQUE (user_id, product_id, day) makes recording one
    upsert.

    `product_id` has no foreign key on purpose: the upsert runs on the public product read,
    and a foreign key check would take a shared lock on the product row, which order placement
    updates. Footprints are recorded only after the detail answered 200 (app/api/v1/product.py),
    and listed with a left join, so an id names a product that existed.
    """

    __tablename__ = "footprint"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", "day"),
        Index("ix_footprint_user_id_update_time", "user_id", "update_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)

    product = relationship(
        "Product",
        primaryjoin="foreign(Footprint.product_id) == Product.id",
        lazy="select",
        viewonly=True,
    )

    @property
    def invalid_reason(self) -> str | None:
        return product_problem(self.product)
