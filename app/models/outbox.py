"""The outbox of outgoing WeChat calls, and the shared WeChat access token.

An `OutboxMessage` is one call to make (shipping upload, subscription message), written in the
transaction of the business change that causes it and sent later by `flask outbox run`.
`WeChatAccessToken` is the database copy of the mini-program's access token, used when no
Redis is configured: one row per app id, with a lock that one refresher holds at a time.
"""

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin

# Outbox states. pending: waiting for next_attempt_time; sending: claimed by one runner until
# lease_expire_time; sent: WeChat accepted it; skipped: WeChat declined it for a reason that is
# not an error (the user did not subscribe), final; dead: failed too often, until an admin
# retries it.
PENDING, SENDING, SENT, SKIPPED, DEAD = "pending", "sending", "sent", "skipped", "dead"
STATES = (PENDING, SENDING, SENT, SKIPPED, DEAD)

# What a message is about (shown to admins, and deciding which WeChat answers are final).
KIND_SHIPPING, KIND_MESSAGE = "shipping", "message"
KINDS = (KIND_SHIPPING, KIND_MESSAGE)

# How a shipping upload's state reads on the admin order detail.
UPLOAD_STATES = {
    PENDING: "queued",
    SENDING: "queued",
    SENT: "done",
    SKIPPED: "done",
    DEAD: "failed",
}


class OutboxMessage(TimestampMixin, db.Model):
    """One outgoing WeChat call: POST `path` with `body` (the access token is added when sent)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_state_next_attempt_time", "state", "next_attempt_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(128))
    body: Mapped[dict] = mapped_column(JSON)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=PENDING, server_default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_time: Mapped[int] = mapped_column(Integer)
    lease_expire_time: Mapped[int | None] = mapped_column(Integer)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_errcode: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(255), default="", server_default="")
    sent_time: Mapped[int | None] = mapped_column(Integer)

    @property
    def upload_state(self) -> str:
        """queued, done or failed: the state of a shipping upload as admins read it."""
        return UPLOAD_STATES[self.state]


class WeChatAccessToken(db.Model):
    """The current access token of one mini-program (never serialized)."""

    __tablename__ = "wechat_access_token"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(512))
    expire_time: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lock_owner: Mapped[str | None] = mapped_column(String(32))
    lock_expire_time: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
