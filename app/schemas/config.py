"""Config parameter shapes, as admins see them."""

from marshmallow import fields

from app import models
from app.schemas.base import ADMIN, Shape
from app.services.config_params import VALUE_TYPES


class TypedValue(fields.Raw):
    """The stored value read by its value_type: text, integer, boolean or parsed JSON."""

    def json_schema(self, shape=None) -> dict:
        return {"description": "typed by value_type: str, int, bool or parsed json"}


class Choice(fields.String):
    """A string from a fixed list."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def json_schema(self, shape=None) -> dict:
        return {"type": "string", "enum": self.choices}


class Config(Shape):
    """A config parameter."""

    audience = ADMIN
    model = models.Config
    answers = "id name key value value_type type public remark create_time update_time"
    value = TypedValue(attribute="typed_value")
    value_type = Choice(VALUE_TYPES)
