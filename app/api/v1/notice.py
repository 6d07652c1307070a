"""Notice: public reads of published notices."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import public
from app.core.docs import INT, STR, TIME, doc, obj, page_of, path_ids
from app.core.pagination import paginate
from app.core.response import ok
from app.models import Notice
from app.services import content
from app.validators.content import PublicNoticeListForm

bp = Blueprint("notice", __name__, url_prefix="/notice")

_NOTICE_FIELDS = {
    "id": INT,
    "type": INT,
    "title": STR,
    "content": STR,
    "create_time": TIME,
    "update_time": TIME,
}
NOTICE = obj(list(_NOTICE_FIELDS), **_NOTICE_FIELDS)


@bp.get("/list")
@public
@doc("List published notices", query=PublicNoticeListForm, data=page_of(NOTICE), auth=False)
def list_notices():
    """List published notices, newest first."""
    form = PublicNoticeListForm().validate_or_raise()
    statement = (
        select(Notice)
        .where(Notice.status.is_(True))
        .order_by(Notice.create_time.desc(), Notice.id.desc())
    )
    if form.type.present:
        statement = statement.where(Notice.type == form.type.data)
    return ok(paginate(statement, form, Notice.to_public))


@bp.get("/<int:id>")
@public
@doc("Read a published notice", data=NOTICE, path=path_ids("id"), auth=False)
def get_notice(id: int):
    """Read one published notice."""
    return ok(content.get_notice(id, published_only=True).to_public())
