"""Category shapes: the customer view and the admin view."""

from app.schemas.base import ADMIN, ImageUrl, Int, Shape, Str, Time


class Category(Shape):
    """A product category."""

    id = Int()
    name = Str()
    description = Str()
    image = ImageUrl(attribute="topic_img")


class AdminCategory(Category):
    """A category with its image id and how many live products it holds."""

    audience = ADMIN
    topic_img_id = Int(allow_none=True)
    product_count = Int()
    create_time = Time()
    update_time = Time()
