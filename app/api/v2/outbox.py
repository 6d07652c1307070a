"""Admin outbox routes: the queued WeChat calls by state, and a retry of a dead one."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import OutboxMessageNotFound, OutboxNotRetryable
from app.core.pagination import paginate
from app.schemas.outbox import AdminOutboxMessage
from app.services import wechat_platform
from app.validators.outbox import OutboxListForm

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

MODULE = "微信平台"


def _page(form):
    statement = wechat_platform.outbox_query(
        state=form.state.data, kind=form.kind.data, order_id=form.order_id.data
    )
    return paginate(statement, form)


messages = Resource(bp, MODULE, shape=AdminOutboxMessage, missing=[OutboxMessageNotFound])
messages.list(
    "list_outbox_messages",
    "查询外发消息",
    "List outbox messages",
    "List the queued WeChat calls (filtered by state, kind, order), newest first.",
    _page,
    form=OutboxListForm,
)
messages.view(
    "PUT",
    messages.one + "/retry",
    "retry_outbox_message",
    "重试外发消息",
    "Retry a dead outbox message",
    "Give a dead WeChat call a fresh set of tries, due now.",
    wechat_platform.retry_dead,
    data=AdminOutboxMessage,
    errors=[OutboxMessageNotFound, OutboxNotRetryable],
)
