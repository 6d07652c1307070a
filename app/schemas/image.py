"""Image shapes: an image row of the catalog, as admins see it."""

from app import models
from app.schemas.base import ADMIN, Shape, Str


class AdminImage(Shape):
    """A stored or network image; url is absolute."""

    audience = ADMIN
    model = models.Image
    answers = "id url source create_time"
    url = Str(attribute="absolute_url")
