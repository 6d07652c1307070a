"""Article: public reads."""

from flask import Blueprint
from sqlalchemy import select

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import ArticleNotFound
from app.core.pagination import paginate
from app.models import Article
from app.schemas.article import ArticleDetail, ArticleSummary
from app.schemas.base import Page
from app.services import content
from app.validators.content import PublicArticleListForm

bp = Blueprint("article", __name__, url_prefix="/article")


def _page(form):
    statement = select(Article).order_by(Article.create_time.desc(), Article.id.desc())
    if form.type.data:
        statement = statement.where(Article.type == form.type.data)
    return paginate(statement, form)


articles = Resource(bp, shape=ArticleDetail, missing=[ArticleNotFound], public=True)
articles.list(
    "list_articles",
    public,
    "List articles",
    "List articles, newest first, by type (0 = all).",
    _page,
    form=PublicArticleListForm,
    data=Page(ArticleSummary),
)
articles.get(
    "get_article",
    public,
    "Read an article (counts a view)",
    "Read an article and count the view.",
    content.view_article,
)
