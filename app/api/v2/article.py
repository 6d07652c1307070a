"""Admin articles."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import current_user, permission
from app.core.docs import ID, INT, STR, TIME, doc, nullable, obj, page_of, path_ids
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.models import Article
from app.services import content
from app.validators.content import ArticleCreateForm, ArticleListForm, ArticleUpdateForm

bp = Blueprint("article", __name__, url_prefix="/article")

MODULE = "文章"

_ARTICLE_FIELDS = {
    "id": INT,
    "type": INT,
    "title": STR,
    "summary": STR,
    "img": STR,
    "theme": nullable(INT),
    "views": INT,
    "author": STR,
    "author_id": INT,
    "create_time": TIME,
    "update_time": TIME,
}
ADMIN_ARTICLE = obj(
    ["id", "type", "title", "summary", "img", "views", "author", "author_id", "create_time"],
    **_ARTICLE_FIELDS,
)
ADMIN_ARTICLE_DETAIL = obj(
    ["id", "type", "title", "summary", "img", "content", "views", "author", "create_time"],
    **_ARTICLE_FIELDS,
    content=STR,
)


@bp.get("/list")
@permission("查询文章", MODULE)
@doc("List articles", query=ArticleListForm, data=page_of(ADMIN_ARTICLE))
def list_articles():
    """List articles, newest first, by type (0 = all) and title keyword."""
    form = ArticleListForm().validate_or_raise()
    statement = select(Article).order_by(Article.create_time.desc(), Article.id.desc())
    if form.type.data:
        statement = statement.where(Article.type == form.type.data)
    if form.keyword.data:
        statement = statement.where(Article.title.contains(form.keyword.data, autoescape=True))
    return ok(paginate(statement, form, Article.to_admin))


@bp.get("/<int:id>")
@permission("查询文章", MODULE)
@doc("Get an article", data=ADMIN_ARTICLE_DETAIL, path=path_ids("id"))
def get_article(id: int):
    """Get one article with its content (no view is counted)."""
    return ok(content.get_article(id).to_admin(with_content=True))


@bp.post("")
@permission("新增文章", MODULE)
@doc("Create an article", body=ArticleCreateForm, data=ADMIN_ARTICLE_DETAIL, status=201)
def create_article():
    """Create an article written by the caller."""
    form = ArticleCreateForm().validate_or_raise()
    article = content.create_article(current_user(), form.data)
    return created(article.to_admin(with_content=True))


@bp.put("/<int:id>")
@permission("更新文章", MODULE)
@doc(
    "Update an article",
    body=ArticleUpdateForm,
    data=ADMIN_ARTICLE_DETAIL,
    status=201,
    path=path_ids("id"),
)
def update_article(id: int):
    """Update the fields sent (the CMS sends the whole article; other keys are ignored)."""
    form = ArticleUpdateForm().validate_or_raise()
    return created(content.update_article(id, form.present()).to_admin(with_content=True))


@bp.delete("/<int:id>")
@permission("删除文章", MODULE)
@doc("Delete an article", data=ID, status=202, path=path_ids("id"))
def delete_article(id: int):
    """Delete an article."""
    content.delete_article(id)
    return deleted({"id": id})
