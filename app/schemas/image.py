"""Image shapes: an image row of the catalog, as admins see it."""

from app.schemas.base import ADMIN, Int, Shape, Str, Time


class AdminImage(Shape):
    """A stored or network image; url is absolute."""

    audience = ADMIN
    id = Int()
    url = Str(attribute="absolute_url")
    source = Int()
    create_time = Time()
