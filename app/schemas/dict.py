"""Dictionary shapes: dictionary types and their entries, as admins see them."""

from app.schemas.base import ADMIN, Bool, Int, Shape, Str, Time


class DictType(Shape):
    """A dictionary type."""

    audience = ADMIN
    id = Int()
    name = Str()
    type = Str()
    status = Bool()
    remark = Str()
    create_time = Time()
    update_time = Time()


class Dict(Shape):
    """A dictionary entry."""

    audience = ADMIN
    id = Int()
    type = Str()
    order = Int()
    label = Str()
    value = Str()
    css_class = Str()
    list_class = Str()
    is_default = Bool()
    status = Bool()
    remark = Str()
    create_time = Time()
    update_time = Time()
