"""Log shapes: login attempts, admin operations and unexpected errors, as admins see them."""

from marshmallow import fields

from app import models
from app.models.log import OPER_TYPE_LABELS
from app.schemas.base import ADMIN, Computed, Int, List, Shape, Str


def _type_code(row) -> int:
    """The operation type, 0 (other) when the stored one is unknown."""
    return row.type if 0 <= (row.type or 0) < len(OPER_TYPE_LABELS) else 0


class LoginLog(Shape):
    """A login attempt."""

    audience = ADMIN
    model = models.LoginLog
    answers = (
        "id user_id user_name ip_addr location browser",
        "os client_type status message create_time",
    )


class RequestParam(fields.Raw):
    """The request's path, query and body as recorded (an empty object when none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value or {}

    def json_schema(self, shape=None) -> dict:
        return {"type": "object"}


class OperLog(Shape):
    """An admin operation."""

    audience = ADMIN
    model = models.OperLog
    answers = (
        "id user_id user_name module auth type type_code path endpoint request_method",
        "request_param message status_code ip_addr create_time",
    )
    type = Computed(lambda row: OPER_TYPE_LABELS[_type_code(row)], Str())
    type_code = Computed(_type_code, Int())
    request_param = RequestParam()


class ErrorLog(Shape):
    """An unexpected error."""

    audience = ADMIN
    model = models.ErrorLog
    answers = "id request_id user_id method path endpoint exception message create_time"


class ErrorLogDetail(ErrorLog):
    """An unexpected error with its traceback and request parameters."""

    answers = "traceback request_param"
    request_param = RequestParam()


class Cleared(Shape):
    """How many rows were deleted."""

    count = Int()


class UserNamePage(Shape):
    """One page of user names: {items, total, current_page, total_page}."""

    items = List(Str())
    total = Int()
    current_page = Int()
    total_page = Int()
