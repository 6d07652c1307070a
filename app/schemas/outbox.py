"""Outbox shapes: a queued WeChat call as admins see it (never its body, which holds the
customer's openid), and the shipping upload state on the admin order detail."""

from app.schemas.base import ADMIN, Computed, Int, Shape, Str, Time


class AdminOutboxMessage(Shape):
    """A queued WeChat call: what it is, where it stands, WeChat's last answer."""

    audience = ADMIN
    id = Int()
    kind = Str()
    path = Str()
    order_id = Int(allow_none=True)
    state = Str()
    attempts = Int()
    next_attempt_time = Time()
    last_errcode = Int(allow_none=True)
    last_error = Str()
    sent_time = Time(allow_none=True)
    create_time = Time()
    update_time = Time()


class ShippingUpload(Shape):
    """The WeChat shipping upload of an order: queued, done, or failed with WeChat's message."""

    audience = ADMIN
    state = Computed(lambda row: row.upload_state, Str())
    message = Str(attribute="last_error")
    attempts = Int()
    update_time = Time()
