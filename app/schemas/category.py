"""Category shapes."""

from app.schemas.base import ImageUrl, Int, Shape, Str


class Category(Shape):
    """A product category."""

    id = Int()
    name = Str()
    description = Str()
    image = ImageUrl(attribute="topic_img")
