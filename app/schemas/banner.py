"""Banner shapes: the customer banner and the admin views."""

from app.schemas.base import ADMIN, ImageUrl, Int, List, Nested, Shape, Str, Time


class BannerItem(Shape):
    """One slide of a banner; key_word is the product or theme id it links to."""

    id = Int()
    key_word = Str()
    type = Int()
    image = ImageUrl(attribute="img")


class Banner(Shape):
    """A banner with its items in order."""

    id = Int()
    name = Str()
    description = Str()
    items = List(Nested(BannerItem))


class AdminBannerItem(Shape):
    """A banner item as admins edit it."""

    audience = ADMIN
    id = Int()
    banner_id = Int()
    img_id = Int()
    image = ImageUrl(attribute="img")
    key_word = Str()
    type = Int()
    order = Int()
    create_time = Time()
    update_time = Time()


class AdminBanner(Shape):
    """A banner without its items."""

    audience = ADMIN
    id = Int()
    name = Str()
    description = Str()
    create_time = Time()
    update_time = Time()


class AdminBannerDetail(AdminBanner):
    """A banner with its items in order."""

    items = List(Nested(AdminBannerItem))
