"""Notice shapes: the published notice (customers) and the admin view."""

from app import models
from app.schemas.base import ADMIN, Shape


class Notice(Shape):
    """A published notice."""

    model = models.Notice
    answers = "id type title content create_time update_time"


class AdminNotice(Notice):
    """A notice as admins see it (times as local text)."""

    audience = ADMIN
    answers = "status remark create_by update_by"
