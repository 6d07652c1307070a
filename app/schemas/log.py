"""Log shapes: login attempts, admin operations and unexpected errors, as admins see them."""

from marshmallow import fields

from app.models.log import OPER_TYPE_LABELS
from app.schemas.base import ADMIN, Bool, Computed, Int, List, Shape, Str, Time


def _type_code(row) -> int:
    """The operation type, 0 (other) when the stored one is unknown."""
    return row.type if 0 <= (row.type or 0) < len(OPER_TYPE_LABELS) else 0


class LoginLog(Shape):
    """A login attempt."""

    audience = ADMIN
    id = Int()
    user_id = Int(allow_none=True)
    user_name = Str()
    ip_addr = Str()
    location = Str()
    browser = Str()
    os = Str()
    client_type = Int()
    status = Bool()
    message = Str()
    create_time = Time()


class RequestParam(fields.Raw):
    """The request's path, query and body as recorded (an empty object when none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value or {}

    def json_schema(self, shape=None) -> dict:
        return {"type": "object"}


class OperLog(Shape):
    """An admin operation."""

    audience = ADMIN
    id = Int()
    user_id = Int()
    user_name = Str()
    module = Str()
    auth = Str()
    type = Computed(lambda row: OPER_TYPE_LABELS[_type_code(row)], Str())
    type_code = Computed(_type_code, Int())
    path = Str()
    endpoint = Str()
    request_method = Str()
    request_param = RequestParam()
    message = Str()
    status_code = Int()
    ip_addr = Str()
    create_time = Time()


class ErrorLog(Shape):
    """An unexpected error."""

    audience = ADMIN
    id = Int()
    request_id = Str()
    user_id = Int(allow_none=True)
    method = Str()
    path = Str()
    endpoint = Str()
    exception = Str()
    message = Str()
    create_time = Time()


class ErrorLogDetail(ErrorLog):
    """An unexpected error with its traceback and request parameters."""

    traceback = Str()
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
