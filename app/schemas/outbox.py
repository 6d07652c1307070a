"""Outbox shapes: a queued WeChat call as admins see it (never its body, which holds the
customer's openid), and the shipping upload state on the admin order detail."""

from app import models
from app.schemas.base import ADMIN, Computed, Shape, Str


class AdminOutboxMessage(Shape):
    """A queued WeChat call: what it is, where it stands, WeChat's last answer."""

    audience = ADMIN
    model = models.OutboxMessage
    answers = (
        "id kind path order_id state attempts next_attempt_time last_errcode last_error sent_time",
        "create_time update_time",
    )


class ShippingUpload(Shape):
    """The WeChat shipping upload of an order: queued, done, or failed with WeChat's message."""

    audience = ADMIN
    model = models.OutboxMessage
    answers = "state message attempts update_time"
    state = Computed(lambda row: row.upload_state, Str())
    message = Str(attribute="last_error")
