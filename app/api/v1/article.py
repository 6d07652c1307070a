"""Article: public reads."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import ArticleNotFound
from app.schemas.article import ArticleDetail, ArticleSummary
from app.schemas.base import Page
from app.services import content
from app.validators.content import PublicArticleListForm

bp = Blueprint("article", __name__, url_prefix="/article")


articles = Resource(bp, shape=ArticleDetail, missing=[ArticleNotFound], public=True)
articles.list(
    "list_articles",
    public,
    "List articles",
    "List articles, newest first, by type (0 = all).",
    lambda form: content.article_page(form, form.type.data),
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
