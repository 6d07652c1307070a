"""Admin outbox routes: the queued WeChat calls by state, and a retry of a dead one."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import OutboxMessageNotFound, OutboxNotRetryable
from app.core.pagination import paginate
from app.schemas.base import Page
from app.schemas.outbox import AdminOutboxMessage
from app.services import wechat_platform
from app.validators.outbox import OutboxListForm

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

MODULE = "微信平台"


@bp.get("/list")
@permission("查询外发消息", MODULE)
@doc("List outbox messages", query=OutboxListForm, data=Page(AdminOutboxMessage))
def list_outbox_messages():
    """List the queued WeChat calls (filtered by state, kind, order), newest first."""
    form = OutboxListForm().validate_or_raise()
    statement = wechat_platform.outbox_query(
        state=form.state.data, kind=form.kind.data, order_id=form.order_id.data
    )
    return paginate(statement, form)


@bp.put("/<int:id>/retry")
@permission("重试外发消息", MODULE)
@doc(
    "Retry a dead outbox message",
    data=AdminOutboxMessage,
    status=201,
    path=path_ids("id"),
    errors=[OutboxMessageNotFound, OutboxNotRetryable],
)
def retry_outbox_message(id):
    """Give a dead WeChat call a fresh set of tries, due now."""
    return wechat_platform.retry_dead(id)
