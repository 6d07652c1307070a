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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timefmt import render_time
from app.core.urls import stored_image_url
from app.extensions import db
from app.models.base import Money, SoftDeleteMixin, TimestampMixin, money_text

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

    def to_admin(self) -> dict:
        return {
            "id": self.id,
            "url": self.absolute_url,
            "source": self.source,
            "create_time": render_time(self.create_time),
        }


def image_url(image: Image | None) -> str:
    return image.absolute_url if image is not None else ""


class Category(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
    topic_img_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))

    topic_img = relationship("Image", lazy="joined")

    def to_v1(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "image": image_url(self.topic_img),
        }

    def to_admin(self, product_count: int) -> dict:
        return {
            **self.to_v1(),
            "topic_img_id": self.topic_img_id,
            "product_count": product_count,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }


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

    # The admin serializers below (not yet shapes) build on this; the customer API answers
    # app/schemas/product.py.
    def to_summary(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "price": money_text(self.price),
            "stock": self.stock,
            "category_id": self.category_id,
            "main_image": image_url(self.main_img),
            "summary": self.summary,
        }

    def live_images(self) -> list["ProductImage"]:
        # A detail image whose image row was deleted is skipped (its `img` loads as None).
        return [item for item in self.images if item.img is not None]

    def properties_data(self, *, with_order: bool = False) -> list[dict]:
        return [prop.to_dict(with_order=with_order) for prop in self.properties]

    def to_admin_summary(self) -> dict:
        return {
            **self.to_summary(),
            "on_sale": self.on_sale,
            "main_img_id": self.main_img_id,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }

    def image_items(self) -> list[dict]:
        return [item.to_item() for item in self.live_images()]

    def to_admin_detail(self, theme_ids: list[int]) -> dict:
        return {
            **self.to_admin_summary(),
            "images": [item.img.absolute_url for item in self.live_images()],
            "image_items": self.image_items(),
            "properties": self.properties_data(with_order=True),
            "theme_ids": theme_ids,
            "specs": [{"name": spec.name, "values": list(spec.values)} for spec in self.specs],
            "skus": [sku.to_admin() for sku in self.skus],
        }


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

    def to_item(self) -> dict:
        return {"img_id": self.img_id, "order": self.order, "url": image_url(self.img)}


class ProductProperty(TimestampMixin, db.Model):
    __tablename__ = "product_property"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(30), default="", server_default="")
    detail: Mapped[str] = mapped_column(String(255))
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def to_dict(self, *, with_order: bool = True) -> dict:
        data = {"id": self.id, "name": self.name, "detail": self.detail}
        if with_order:
            data["order"] = self.order
        return data


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

    # The admin product detail (not yet a shape) embeds this; it writes what
    # app/schemas/sku.py AdminSku writes.
    def to_admin(self) -> dict:
        return {
            "id": self.id,
            "specs": dict(self.specs or {}),
            "price": money_text(self.price),
            "stock": self.stock,
            "image": image_url(self.img),
            "on_sale": self.on_sale,
            "product_id": self.product_id,
            "spec_text": self.spec_text,
            "sales": self.sales,
            "img_id": self.img_id,
            "code": self.code,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }


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

    def to_v1(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "topic_img_url": image_url(self.topic_img),
            "head_img_url": image_url(self.head_img),
        }

    def to_admin(self) -> dict:
        return {
            **self.to_v1(),
            "topic_img_id": self.topic_img_id,
            "head_img_id": self.head_img_id,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }

    def to_admin_detail(self) -> dict:
        return {
            **self.to_admin(),
            "products": [p.to_admin_summary() for p in self.products],
            "product_ids": [p.id for p in self.products],
        }


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

    def to_admin(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }

    def to_admin_detail(self) -> dict:
        return {**self.to_admin(), "items": [item.to_admin() for item in self.items]}


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

    def to_admin(self) -> dict:
        return {
            "id": self.id,
            "banner_id": self.banner_id,
            "img_id": self.img_id,
            "image": image_url(self.img),
            "key_word": self.key_word,
            "type": self.type,
            "order": self.order,
            "create_time": render_time(self.create_time),
            "update_time": render_time(self.update_time),
        }
