"""Catalog: images, categories, products with images and properties, themes, banners."""

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.core.urls import stored_image_url
from app.extensions import db
from app.models.base import Money, SoftDeleteMixin, TimestampMixin

IMAGE_STATIC, IMAGE_NETWORK, IMAGE_UPLOADED = 1, 2, 3
STOCK_MAX = 100_000_000  # the most units one product or SKU can hold
SPEC_MAX, SPEC_VALUES_MAX, SKU_MAX = 5, 30, 200  # specifications, values of one, SKUs


class Image(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "image"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(255))
    source: Mapped[int] = mapped_column(SmallInteger, default=IMAGE_STATIC, server_default="1")

    @property
    def absolute_url(self) -> str:
        return stored_image_url(self.url, self.source)


def image_url(image: Image | None) -> str:
    return image.absolute_url if image is not None else ""


class Category(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
    topic_img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))

    topic_img = relationship("Image", lazy="joined")


class Product(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        Index("ix_product_create_time", "create_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    price = mapped_column(Money, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    main_img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))
    summary: Mapped[str] = mapped_column(String(255), default="", server_default="")
    on_sale: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Units sold (paid orders); price and stock are kept equal to the SKUs' (app/services/sku.py).
    sales: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    main_img = relationship("Image", lazy="joined")
    category = relationship("Category", lazy="select")
    specs = relationship(
        "ProductSpec",
        order_by="(ProductSpec.order, ProductSpec.id)",
        lazy="select",
        cascade="all, delete-orphan",
    )
    # Live SKUs (soft-deleted ones drop out) in id order.
    skus = relationship("Sku", order_by="Sku.id", lazy="select", viewonly=True)
    images = relationship(
        "ProductImage", order_by="ProductImage.order", lazy="select", cascade="all, delete-orphan"
    )
    properties = relationship(
        "ProductProperty",
        order_by="(ProductProperty.order, ProductProperty.id)",
        lazy="select",
        cascade="all, delete-orphan",
    )
    # The live themes holding the product, by id (what the admin detail lists).
    themes = relationship(
        "Theme",
        secondary=lambda: theme_product,
        order_by=lambda: Theme.id,
        viewonly=True,
        lazy="select",
    )

    def live_images(self) -> list["ProductImage"]:
        # A detail image whose image row was deleted is skipped (its `img` loads as None).
        return [item for item in self.images if item.img is not None]


# How many live products a category holds: loaded only where asked for (admin reads undefer it).
Category.product_count = column_property(
    select(func.count(Product.id))
    .where(Product.category_id == Category.id, Product.delete_time.is_(None))
    .correlate_except(Product)
    .scalar_subquery(),
    deferred=True,
)


class ProductImage(TimestampMixin, db.Model):
    __tablename__ = "product_image"
    __table_args__ = (
        UniqueConstraint("product_id", "img_id"),
        Index("ix_product_image_product_id_order", "product_id", "order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    img_id: Mapped[int] = mapped_column(ForeignKey("image.id"))
    order: Mapped[int] = mapped_column(Integer)

    img = relationship("Image", lazy="joined")


class ProductProperty(TimestampMixin, db.Model):
    __tablename__ = "product_property"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(30), default="", server_default="")
    detail: Mapped[str] = mapped_column(String(255))
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ProductSpec(TimestampMixin, db.Model):
    """One specification of a product (颜色, 尺码...) with its ordered values."""

    __tablename__ = "product_spec"
    __table_args__ = (Index("ix_product_spec_product_id_order", "product_id", "order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(30))
    values: Mapped[list] = mapped_column(JSON)
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Sku(TimestampMixin, SoftDeleteMixin, db.Model):
    """One sold combination of a product's spec values, with its own price and stock.

    `specs` maps every spec name to one of its values ({} for a product's default SKU);
    `spec_text` is the same in spec order, "颜色:红;尺码:M", as order lines snapshot it.
    """

    __tablename__ = "product_sku"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("sales >= 0", name="sales_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    specs: Mapped[dict] = mapped_column(JSON)
    spec_text: Mapped[str] = mapped_column(String(255), default="", server_default="")
    price = mapped_column(Money, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sales: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))
    code: Mapped[str] = mapped_column(String(64), default="", server_default="")
    on_sale: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    img = relationship("Image", lazy="joined")
    product = relationship("Product", lazy="select", viewonly=True)


class Theme(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
    topic_img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))
    head_img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))

    topic_img = relationship("Image", foreign_keys=[topic_img_id], lazy="joined")
    head_img = relationship("Image", foreign_keys=[head_img_id], lazy="joined")
    # Linked products in link order, then by id; deleted products drop out automatically.
    # Links are written through the theme_product table, never through this collection.
    products = relationship(
        "Product",
        secondary=lambda: theme_product,
        order_by=lambda: (theme_product.c.order, Product.id),
        viewonly=True,
        lazy="select",
    )


theme_product = Table(
    "theme_product",
    db.metadata,
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column("order", Integer, nullable=False, default=0, server_default="0"),
    Column("create_time", Integer, nullable=False, default=0, server_default="0"),
)


class Banner(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "banner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")

    items = relationship(
        "BannerItem",
        order_by="(BannerItem.order, BannerItem.id)",
        lazy="select",
        back_populates="banner",
    )


class BannerItem(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "banner_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    banner_id: Mapped[int] = mapped_column(ForeignKey("banner.id"), index=True)
    img_id: Mapped[int] = mapped_column(ForeignKey("image.id"))
    key_word: Mapped[str] = mapped_column(String(100), default="", server_default="")
    type: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    img = relationship("Image", lazy="joined")
    banner = relationship("Banner", back_populates="items")
