"""Admin articles."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids
from app.core.exceptions import ArticleNotFound
from app.core.pagination import paginate
from app.models import Article
from app.schemas.article import AdminArticle, AdminArticleDetail
from app.schemas.base import Page
from app.schemas.common import Id
from app.services import content
from app.validators.content import ArticleCreateForm, ArticleListForm, ArticleUpdateForm

bp = Blueprint("article", __name__, url_prefix="/article")

MODULE = "文章"


@bp.get("/list")
@permission("查询文章", MODULE)
@doc("List articles", query=ArticleListForm, data=Page(AdminArticle))
def list_articles():
    """List articles, newest first, by type (0 = all) and title keyword."""
    form = ArticleListForm().validate_or_raise()
    statement = select(Article).order_by(Article.create_time.desc(), Article.id.desc())
    if form.type.data:
        statement = statement.where(Article.type == form.type.data)
    if form.keyword.data:
        statement = statement.where(Article.title.contains(form.keyword.data, autoescape=True))
    return paginate(statement, form)


@bp.get("/<int:id>")
@permission("查询文章", MODULE)
@doc(
    "Get an article",
    data=AdminArticleDetail,
    path=path_ids("id"),
    errors=[ArticleNotFound],
)
def get_article(id: int):
    """Get one article with its content (no view is counted)."""
    return content.get_article(id)


@bp.post("")
@permission("新增文章", MODULE)
@doc("Create an article", body=ArticleCreateForm, data=AdminArticleDetail, status=201)
def create_article():
    """Create an article written by the caller."""
    form = ArticleCreateForm().validate_or_raise()
    return content.create_article(current_user(), form.data)


@bp.put("/<int:id>")
@permission("更新文章", MODULE)
@doc(
    "Update an article",
    body=ArticleUpdateForm,
    data=AdminArticleDetail,
    status=201,
    path=path_ids("id"),
    errors=[ArticleNotFound],
)
def update_article(id: int):
    """Update the fields sent (the CMS sends the whole article; other keys are ignored)."""
    form = ArticleUpdateForm().validate_or_raise()
    return content.update_article(id, form.present())


@bp.delete("/<int:id>")
@permission("删除文章", MODULE)
@doc(
    "Delete an article",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[ArticleNotFound],
)
def delete_article(id: int):
    """Delete an article."""
    content.delete_article(id)
    return {"id": id}
