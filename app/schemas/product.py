"""Product shapes: the customer summary and detail."""

from app.schemas.base import Computed, ImageUrl, Int, List, Money, Nested, Shape, Str


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
    """A product with its detail images (in order) and properties."""

    images = Computed(lambda p: [item.img.absolute_url for item in p.live_images()], List(Str()))
    properties = List(Nested(ProductProperty))
