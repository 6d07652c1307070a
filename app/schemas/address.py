"""Address shapes."""

from app.schemas.base import Bool, Int, Shape, Str, Time


class Address(Shape):
    """One entry of the caller's address book."""

    id = Int()
    name = Str()
    mobile = Str()
    province = Str()
    city = Str()
    country = Str()
    detail = Str()
    is_default = Bool()
    create_time = Time()
    update_time = Time()
