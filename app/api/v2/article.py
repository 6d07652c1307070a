"""Admin articles."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import ArticleNotFound
from app.schemas.article import AdminArticle, AdminArticleDetail
from app.schemas.base import Page
from app.services import content
from app.validators.content import ArticleCreateForm, ArticleListForm, ArticleUpdateForm

bp = Blueprint("article", __name__, url_prefix="/article")

MODULE = "文章"


articles = Resource(bp, MODULE, shape=AdminArticleDetail, missing=[ArticleNotFound])
articles.list(
    "list_articles",
    "查询文章",
    "List articles",
    "List articles, newest first, by type (0 = all) and title keyword.",
    lambda form: content.article_page(form, form.type.data, form.keyword.data),
    form=ArticleListForm,
    data=Page(AdminArticle),
)
articles.get(
    "get_article",
    "查询文章",
    "Get an article",
    "Get one article with its content (no view is counted).",
    content.get_article,
)
articles.create(
    "create_article",
    "新增文章",
    "Create an article",
    "Create an article written by the caller.",
    ArticleCreateForm,
    content.create_article,
    author=True,
)
articles.update(
    "update_article",
    "更新文章",
    "Update an article",
    "Update the fields sent (the CMS sends the whole article; other keys are ignored).",
    ArticleUpdateForm,
    content.update_article,
)
articles.delete(
    "delete_article", "删除文章", "Delete an article", "Delete an article.", content.delete_article
)
