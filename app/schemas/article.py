"""Article shapes: the customer summary and detail, and the admin views."""

from app.schemas.base import ADMIN, Int, Shape, Str, Time


class ArticleSummary(Shape):
    """An article in a list."""

    id = Int()
    type = Int()
    title = Str()
    summary = Str()
    img = Str()
    author = Str(attribute="author_name")
    views = Int()
    create_time = Time()
    update_time = Time()


class ArticleDetail(ArticleSummary):
    """An article with its (sanitized) HTML content."""

    content = Str()


class AdminArticle(ArticleSummary):
    """An article in an admin list, with its theme and author id."""

    audience = ADMIN
    theme = Int(allow_none=True)
    author_id = Int()


class AdminArticleDetail(AdminArticle):
    """An article with its (sanitized) HTML content."""

    content = Str()
