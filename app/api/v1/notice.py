"""Notice: public reads of published notices."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import public
from app.core.docs import doc, path_ids
from app.core.exceptions import NoticeNotFound
from app.core.pagination import paginate
from app.models import Notice
from app.schemas.base import Page
from app.schemas.notice import Notice as NoticeShape
from app.services import content
from app.validators.content import PublicNoticeListForm

bp = Blueprint("notice", __name__, url_prefix="/notice")


@bp.get("/list")
@public
@doc("List published notices", query=PublicNoticeListForm, data=Page(NoticeShape), auth=False)
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
    return paginate(statement, form)


@bp.get("/<int:id>")
@public
@doc(
    "Read a published notice",
    data=NoticeShape,
    path=path_ids("id"),
    errors=[NoticeNotFound],
    auth=False,
)
def get_notice(id: int):
    """Read one published notice."""
    return content.get_notice(id, published_only=True)
