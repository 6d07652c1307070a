"""Admin notices and announcements."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import current_user, permission
from app.core.docs import doc, path_id_list, path_ids
from app.core.exceptions import NoticeNotFound, ParameterException
from app.core.forms import parse_id_list
from app.core.pagination import paginate
from app.models import Notice
from app.schemas.base import Page
from app.schemas.common import Ids
from app.schemas.notice import AdminNotice
from app.services import content
from app.validators.content import NoticeCreateForm, NoticeListForm, NoticeUpdateForm

bp = Blueprint("notice", __name__, url_prefix="/notice")

MODULE = "通知(公告)"


@bp.get("/list")
@permission("查询通知列表", MODULE)
@doc("List notices", query=NoticeListForm, data=Page(AdminNotice))
def list_notices():
    """List notices, newest first, filtered by type, status or title."""
    form = NoticeListForm().validate_or_raise()
    statement = select(Notice).order_by(Notice.create_time.desc(), Notice.id.desc())
    if form.type.present:
        statement = statement.where(Notice.type == form.type.data)
    if form.status.present:
        statement = statement.where(Notice.status.is_(form.status.data))
    if form.keyword.data:
        statement = statement.where(Notice.title.contains(form.keyword.data, autoescape=True))
    return paginate(statement, form)


@bp.get("/<int:id>")
@permission("查询通知列表", MODULE)
@doc("Get a notice", data=AdminNotice, path=path_ids("id"), errors=[NoticeNotFound])
def get_notice(id: int):
    """Get one notice."""
    return content.get_notice(id)


@bp.post("")
@permission("新建通知", MODULE)
@doc("Create a notice", body=NoticeCreateForm, data=AdminNotice, status=201)
def create_notice():
    """Create a notice; the caller is recorded as its author."""
    form = NoticeCreateForm().validate_or_raise()
    return content.create_notice(current_user(), form.data)


@bp.put("/<int:id>")
@permission("更新通知", MODULE)
@doc(
    "Update a notice",
    body=NoticeUpdateForm,
    data=AdminNotice,
    status=201,
    path=path_ids("id"),
    errors=[NoticeNotFound],
)
def update_notice(id: int):
    """Update the fields sent; the caller is recorded as the last editor."""
    form = NoticeUpdateForm().validate_or_raise()
    return content.update_notice(id, current_user(), form.present())


@bp.delete("/<ids>")
@permission("删除通知", MODULE)
@doc(
    "Delete notices",
    data=Ids,
    status=202,
    path=path_id_list("ids"),
    errors=[NoticeNotFound],
)
def delete_notices(ids: str):
    """Delete one notice or a comma list of them; all must exist."""
    try:
        id_list = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}", errors={"ids": [str(error)]}) from None
    return {"ids": content.delete_notices(id_list)}
