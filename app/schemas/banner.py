"""Banner shapes: the customer banner and the admin views."""

from app import models
from app.schemas.base import ADMIN, ImageUrl, List, Nested, Shape


class BannerItem(Shape):
    """One slide of a banner; key_word is the product or theme id it links to."""

    model = models.BannerItem
    answers = "id key_word type image"
    image = ImageUrl(attribute="img")


class Banner(Shape):
    """A banner with its items in order."""

    model = models.Banner
    answers = "id name description items"
    items = List(Nested(BannerItem))


class AdminBannerItem(Shape):
    """A banner item as admins edit it."""

    audience = ADMIN
    model = models.BannerItem
    answers = "id banner_id img_id image key_word type order create_time update_time"
    image = ImageUrl(attribute="img")


class AdminBanner(Shape):
    """A banner without its items."""

    audience = ADMIN
    model = models.Banner
    answers = "id name description create_time update_time"


class AdminBannerDetail(AdminBanner):
    """A banner with its items in order."""

    items = List(Nested(AdminBannerItem))
