"""Category shapes: the customer view and the admin view."""

from app import models
from app.schemas.base import ADMIN, ImageUrl, Int, Shape


class Category(Shape):
    """A product category."""

    model = models.Category
    answers = "id name description image"
    image = ImageUrl(attribute="topic_img")


class AdminCategory(Category):
    """A category with its image id and how many live products it holds."""

    audience = ADMIN
    answers = "topic_img_id product_count create_time update_time"
    product_count = Int()
