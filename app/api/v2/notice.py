"""Admin notices and announcements."""

from flask import Blueprint
from sqlalchemy import select

from app.api.resource import Resource
from app.core.exceptions import NoticeNotFound
from app.core.pagination import paginate
from app.models import Notice
from app.schemas.notice import AdminNotice
from app.services import content
from app.validators.content import NoticeCreateForm, NoticeListForm, NoticeUpdateForm

bp = Blueprint("notice", __name__, url_prefix="/notice")

MODULE = "通知(公告)"


def _page(form):
    statement = select(Notice).order_by(Notice.create_time.desc(), Notice.id.desc())
    if form.type.present:
        statement = statement.where(Notice.type == form.type.data)
    if form.status.present:
        statement = statement.where(Notice.status.is_(form.status.data))
    if form.keyword.data:
        statement = statement.where(Notice.title.contains(form.keyword.data, autoescape=True))
    return paginate(statement, form)


notices = Resource(bp, MODULE, shape=AdminNotice, missing=[NoticeNotFound])
notices.list(
    "list_notices",
    "查询通知列表",
    "List notices",
    "List notices, newest first, filtered by type, status or title.",
    _page,
    form=NoticeListForm,
)
notices.get("get_notice", "查询通知列表", "Get a notice", "Get one notice.", content.get_notice)
notices.create(
    "create_notice",
    "新建通知",
    "Create a notice",
    "Create a notice; the caller is recorded as its author.",
    NoticeCreateForm,
    content.create_notice,
    author=True,
)
notices.update(
    "update_notice",
    "更新通知",
    "Update a notice",
    "Update the fields sent; the caller is recorded as the last editor.",
    NoticeUpdateForm,
    content.update_notice,
    author=True,
)
notices.delete_many(
    "delete_notices",
    "删除通知",
    "Delete notices",
    "Delete one notice or a comma list of them; all must exist.",
    content.delete_notices,
    field_errors=True,
)
