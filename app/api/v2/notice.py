"""Admin notices and announcements."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import current_user, permission
from app.core.docs import BOOL, IDS, INT, STR, TIME, doc, obj, page_of, path_id_list, path_ids
from app.core.exceptions import ParameterException
from app.core.forms import parse_id_list
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.models import Notice
from app.services import content
from app.validators.content import NoticeCreateForm, NoticeListForm, NoticeUpdateForm

bp = Blueprint("notice", __name__, url_prefix="/notice")

MODULE = "通知(公告)"

ADMIN_NOTICE = obj(
    ["id", "type", "title", "content", "status", "remark", "create_by", "update_by"],
    id=INT,
    type=INT,
    title=STR,
    content=STR,
    status=BOOL,
    remark=STR,
    create_by=STR,
    update_by=STR,
    create_time=TIME,
    update_time=TIME,
)


@bp.get("/list")
@permission("查询通知列表", MODULE)
@doc("List notices", query=NoticeListForm, data=page_of(ADMIN_NOTICE))
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
    return ok(paginate(statement, form, Notice.to_admin))


@bp.get("/<int:id>")
@permission("查询通知列表", MODULE)
@doc("Get a notice", data=ADMIN_NOTICE, path=path_ids("id"))
def get_notice(id: int):
    """Get one notice."""
    return ok(content.get_notice(id).to_admin())


@bp.post("")
@permission("新建通知", MODULE)
@doc("Create a notice", body=NoticeCreateForm, data=ADMIN_NOTICE, status=201)
def create_notice():
    """Create a notice; the caller is recorded as its author."""
    form = NoticeCreateForm().validate_or_raise()
    return created(content.create_notice(current_user(), form.data).to_admin())


@bp.put("/<int:id>")
@permission("更新通知", MODULE)
@doc("Update a notice", body=NoticeUpdateForm, data=ADMIN_NOTICE, status=201, path=path_ids("id"))
def update_notice(id: int):
    """Update the fields sent; the caller is recorded as the last editor."""
    form = NoticeUpdateForm().validate_or_raise()
    return created(content.update_notice(id, current_user(), form.present()).to_admin())


@bp.delete("/<ids>")
@permission("删除通知", MODULE)
@doc("Delete notices", data=IDS, status=202, path=path_id_list("ids"))
def delete_notices(ids: str):
    """Delete one notice or a comma list of them; all must exist."""
    try:
        id_list = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}", errors={"ids": [str(error)]}) from None
    return deleted({"ids": content.delete_notices(id_list)})
