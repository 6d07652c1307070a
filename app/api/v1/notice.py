"""Notice: public reads of published notices."""

from flask import Blueprint
from sqlalchemy import select

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import NoticeNotFound
from app.core.pagination import paginate
from app.models import Notice
from app.schemas.notice import Notice as NoticeShape
from app.services import content
from app.validators.content import PublicNoticeListForm

bp = Blueprint("notice", __name__, url_prefix="/notice")


def _page(form):
    statement = (
        select(Notice)
        .where(Notice.status.is_(True))
        .order_by(Notice.create_time.desc(), Notice.id.desc())
    )
    if form.type.present:
        statement = statement.where(Notice.type == form.type.data)
    return paginate(statement, form)


notices = Resource(bp, shape=NoticeShape, missing=[NoticeNotFound], public=True)
notices.list(
    "list_notices",
    public,
    "List published notices",
    "List published notices, newest first.",
    _page,
    form=PublicNoticeListForm,
)
notices.get(
    "get_notice",
    public,
    "Read a published notice",
    "Read one published notice.",
    lambda id: content.get_notice(id, published_only=True),
)
