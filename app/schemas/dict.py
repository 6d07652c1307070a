"""Dictionary shapes: dictionary types and their entries, as admins see them."""

from app import models
from app.schemas.base import ADMIN, Shape


class DictType(Shape):
    """A dictionary type."""

    audience = ADMIN
    model = models.DictType
    answers = "id name type status remark create_time update_time"


class Dict(Shape):
    """A dictionary entry."""

    audience = ADMIN
    model = models.Dict
    answers = (
        "id type order label value css_class list_class is_default status remark create_time",
        "update_time",
    )
