"""The cart: one line per SKU a customer keeps for later, with the price it had when added."""

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Money, TimestampMixin

# Why a line cannot be bought now (CartItem.invalid_reason).
DELETED, OFF_SALE, SHORT_OF_STOCK = "deleted", "off_sale", "short_of_stock"


class CartItem(TimestampMixin, db.Model):
    """A cart line. Rows are deleted for real: a line is only ever the owner's wish list.

    UNIQUE (user_id, sku_id): one line per SKU, so adding a SKU again merges into its line.
    `product` and `sku` are read with deleted rows included (app/services/cart.py), so a line
    whose product was deleted still lists, marked invalid.
    """

    __tablename__ = "cart_item"
    __table_args__ = (
        UniqueConstraint("user_id", "sku_id"),
        CheckConstraint("count > 0", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("product_sku.id"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    checked: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    add_price = mapped_column(Money, nullable=False)  # the SKU's price when the line was added

    product = relationship("Product", lazy="select")
    sku = relationship("Sku", lazy="select")

    @property
    def invalid_reason(self) -> str | None:
        """None when the line can be ordered as it stands, else deleted / off_sale /
        short_of_stock (the first that applies)."""
        return line_problem(self.product, self.sku, self.count)

    @property
    def image(self):
        """The SKU's own image, else the product's main image (None when neither is live)."""
        for img in (self.sku.img, self.product.main_img):
            if img is not None and img.delete_time is None:
                return img
        return None


def line_problem(product, sku, count: int) -> str | None:
    """Why `count` units of `sku` (of `product`, both read with deleted rows) cannot be ordered."""
    if product.delete_time is not None or sku.delete_time is not None:
        return DELETED
    if not product.on_sale or not sku.on_sale:
        return OFF_SALE
    if sku.stock < count:
        return SHORT_OF_STOCK
    return None
