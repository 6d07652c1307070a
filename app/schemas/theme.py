"""Theme shapes: a theme, and a theme with its on-sale products; the admin views."""

from app import models
from app.schemas.base import ADMIN, Computed, ImageUrl, Int, List, Nested, Shape
from app.schemas.product import AdminProductSummary, ProductSummary


class Theme(Shape):
    """A theme (a curated product collection)."""

    model = models.Theme
    answers = "id name description topic_img_url head_img_url"
    topic_img_url = ImageUrl(attribute="topic_img")
    head_img_url = ImageUrl(attribute="head_img")


class ThemeDetail(Theme):
    """A theme with its products (the caller loads the on-sale ones)."""

    products = List(Nested(ProductSummary))


class AdminTheme(Theme):
    """A theme with its image ids."""

    audience = ADMIN
    answers = "topic_img_id head_img_id create_time update_time"


class AdminThemeDetail(AdminTheme):
    """A theme with every linked product (off-sale included), in link order."""

    products = List(Nested(AdminProductSummary))
    product_ids = Computed(lambda t: [product.id for product in t.products], List(Int()))
