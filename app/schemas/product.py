"""Product shapes: the customer summary and detail, and the admin views."""

from app.models.review import good_rate
from app.schemas.base import (
    ADMIN,
    Bool,
    Computed,
    ImageUrl,
    Int,
    List,
    Money,
    Nested,
    Shape,
    Str,
    Time,
)
from app.schemas.sku import AdminSku, ProductSpec, Sku


def _image_urls(product) -> list[str]:
    return [item.img.absolute_url for item in product.live_images()]


class ProductSummary(Shape):
    """A product in a list."""

    id = Int()
    name = Str()
    price = Money()
    stock = Int()
    category_id = Int(allow_none=True)
    main_image = ImageUrl(attribute="main_img")
    summary = Str()


class ProductProperty(Shape):
    """A named property of a product ("origin": "Yunnan")."""

    id = Int()
    name = Str()
    detail = Str()


class ProductDetail(ProductSummary):
    """A product with its detail images (in order), properties, specifications and SKUs,
    its units sold and its visible reviews' count and good rate (the share of 4 and 5 star
    reviews in whole percent, rounded down; null without reviews).

    `price` is the lowest on-sale SKU price and `stock` the sum of the on-sale SKUs' stock."""

    images = Computed(lambda p: _image_urls(p), List(Str()))
    properties = List(Nested(ProductProperty))
    specs = List(Nested(ProductSpec))
    skus = List(Nested(Sku))
    sales = Int()
    review_count = Int()
    good_rate = Computed(
        lambda p: good_rate(p.good_review_count, p.review_count), Int(allow_none=True)
    )


class ProductImageItem(Shape):
    """A detail image of a product at its position."""

    img_id = Int()
    order = Int()
    url = ImageUrl(attribute="img")


class ProductImages(Shape):
    """A product's detail images in order (what image edits answer)."""

    image_items = Computed(lambda p: p.live_images(), List(Nested(ProductImageItem)))


class AdminProductProperty(ProductProperty):
    """A product property with its position."""

    order = Int()


class AdminProductSummary(ProductSummary):
    """A product in an admin list (off-sale ones included)."""

    audience = ADMIN
    on_sale = Bool()
    main_img_id = Int(allow_none=True)
    create_time = Time()
    update_time = Time()


class AdminProductDetail(AdminProductSummary):
    """A product with its detail images, properties, the ids of the themes holding it, its
    specifications and its SKUs."""

    images = Computed(lambda p: _image_urls(p), List(Str()))
    image_items = Computed(lambda p: p.live_images(), List(Nested(ProductImageItem)))
    properties = List(Nested(AdminProductProperty))
    theme_ids = Computed(lambda p: [theme.id for theme in p.themes], List(Int()))
    specs = List(Nested(ProductSpec))
    skus = List(Nested(AdminSku))
