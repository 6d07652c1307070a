"""Theme shapes: a theme, and a theme with its on-sale products; the admin views."""

from app.schemas.base import ADMIN, Computed, ImageUrl, Int, List, Nested, Shape, Str, Time
from app.schemas.product import AdminProductSummary, ProductSummary


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


class AdminTheme(Theme):
    """A theme with its image ids."""

    audience = ADMIN
    topic_img_id = Int(allow_none=True)
    head_img_id = Int(allow_none=True)
    create_time = Time()
    update_time = Time()


class AdminThemeDetail(AdminTheme):
    """A theme with every linked product (off-sale included), in link order."""

    products = List(Nested(AdminProductSummary))
    product_ids = Computed(lambda t: [product.id for product in t.products], List(Int()))
