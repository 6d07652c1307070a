"""Banner shapes."""

from app.schemas.base import ImageUrl, Int, List, Nested, Shape, Str


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
