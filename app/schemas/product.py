"""Product shapes: the customer summary and detail."""

from app.schemas.base import Computed, ImageUrl, Int, List, Money, Nested, Shape, Str
from app.schemas.sku import ProductSpec, Sku


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
    """A product with its detail images (in order), properties, specifications and SKUs.

    `price` is the lowest on-sale SKU price and `stock` the sum of the on-sale SKUs' stock."""

    images = Computed(lambda p: [item.img.absolute_url for item in p.live_images()], List(Str()))
    properties = List(Nested(ProductProperty))
    specs = List(Nested(ProductSpec))
    skus = List(Nested(Sku))
