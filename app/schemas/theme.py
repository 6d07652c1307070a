"""Theme shapes: a theme, and a theme with its on-sale products."""

from app.schemas.base import ImageUrl, Int, List, Nested, Shape, Str
from app.schemas.product import ProductSummary


class Theme(Shape):
    """A theme (a curated product collection)."""

    id = Int()
    name = Str()
    description = Str()
    topic_img_url = ImageUrl(attribute="topic_img")
    head_img_url = ImageUrl(attribute="head_img")


class ThemeDetail(Theme):
    """A theme with its products (the caller loads the on-sale ones)."""

    products = List(Nested(ProductSummary))
