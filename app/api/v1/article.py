"""Article: public reads."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import public
from app.core.docs import INT, STR, TIME, doc, obj, page_of, path_ids
from app.core.pagination import paginate
from app.core.response import ok
from app.models import Article
from app.services import content
from app.validators.content import PublicArticleListForm

bp = Blueprint("article", __name__, url_prefix="/article")

_SUMMARY_FIELDS = {
    "id": INT,
    "type": INT,
    "title": STR,
    "summary": STR,
    "img": STR,
    "author": STR,
    "views": INT,
    "create_time": TIME,
    "update_time": TIME,
}
ARTICLE_SUMMARY = obj(list(_SUMMARY_FIELDS), **_SUMMARY_FIELDS)
ARTICLE_DETAIL = obj([*_SUMMARY_FIELDS, "content"], **_SUMMARY_FIELDS, content=STR)


@bp.get("/list")
@public
@doc("List articles", query=PublicArticleListForm, data=page_of(ARTICLE_SUMMARY), auth=False)
def list_articles():
    """List articles, newest first, by type (0 = all)."""
    form = PublicArticleListForm().validate_or_raise()
    statement = select(Article).order_by(Article.create_time.desc(), Article.id.desc())
    if form.type.data:
        statement = statement.where(Article.type == form.type.data)
    return ok(paginate(statement, form, Article.to_summary))


@bp.get("/<int:id>")
@public
@doc("Read an article (counts a view)", data=ARTICLE_DETAIL, path=path_ids("id"), auth=False)
def get_article(id: int):
    """Read an article and count the view."""
    return ok(content.view_article(id).to_detail())
