"""Notice: public reads of published notices."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import NoticeNotFound
from app.schemas.notice import Notice as NoticeShape
from app.services import content
from app.validators.content import PublicNoticeListForm

bp = Blueprint("notice", __name__, url_prefix="/notice")


notices = Resource(bp, shape=NoticeShape, missing=[NoticeNotFound], public=True)
notices.list(
    "list_notices",
    public,
    "List published notices",
    "List published notices, newest first.",
    lambda form: content.notice_page(form, form.value("type"), status=True),
    form=PublicNoticeListForm,
)
notices.get(
    "get_notice",
    public,
    "Read a published notice",
    "Read one published notice.",
    lambda id: content.get_notice(id, published_only=True),
)
