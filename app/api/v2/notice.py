"""Admin notices and announcements."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import NoticeNotFound
from app.schemas.notice import AdminNotice
from app.services import content
from app.validators.content import NoticeCreateForm, NoticeListForm, NoticeUpdateForm

bp = Blueprint("notice", __name__, url_prefix="/notice")

MODULE = "通知(公告)"


notices = Resource(bp, MODULE, shape=AdminNotice, missing=[NoticeNotFound])
notices.list(
    "list_notices",
    "查询通知列表",
    "List notices",
    "List notices, newest first, filtered by type, status or title.",
    lambda form: content.notice_page(
        form, form.value("type"), form.value("status"), form.keyword.data
    ),
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
