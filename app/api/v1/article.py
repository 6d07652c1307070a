"""Article: public reads."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import public
from app.core.docs import doc, path_ids
from app.core.exceptions import ArticleNotFound
from app.core.pagination import paginate
from app.models import Article
from app.schemas.article import ArticleDetail, ArticleSummary
from app.schemas.base import Page
from app.services import content
from app.validators.content import PublicArticleListForm

bp = Blueprint("article", __name__, url_prefix="/article")


@bp.get("/list")
@public
@doc("List articles", query=PublicArticleListForm, data=Page(ArticleSummary), auth=False)
def list_articles():
    """List articles, newest first, by type (0 = all)."""
    form = PublicArticleListForm().validate_or_raise()
    statement = select(Article).order_by(Article.create_time.desc(), Article.id.desc())
    if form.type.data:
        statement = statement.where(Article.type == form.type.data)
    return paginate(statement, form)


@bp.get("/<int:id>")
@public
@doc(
    "Read an article (counts a view)",
    data=ArticleDetail,
    path=path_ids("id"),
    errors=[ArticleNotFound],
    auth=False,
)
def get_article(id: int):
    """Read an article and count the view."""
    return content.view_article(id)
