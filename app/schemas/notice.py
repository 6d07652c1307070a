"""Notice shapes: the published notice (customers) and the admin view."""

from app.schemas.base import ADMIN, Bool, Int, Shape, Str, Time


class Notice(Shape):
    """A published notice."""

    id = Int()
    type = Int()
    title = Str()
    content = Str()
    create_time = Time()
    update_time = Time()


class AdminNotice(Notice):
    """A notice as admins see it (times as local text)."""

    audience = ADMIN
    status = Bool()
    remark = Str()
    create_by = Str()
    update_by = Str()
