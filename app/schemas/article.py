"""Article shapes: the customer summary and detail, and the admin views."""

from app import models
from app.schemas.base import ADMIN, Shape, Str


class ArticleSummary(Shape):
    """An article in a list."""

    model = models.Article
    answers = "id type title summary img author views create_time update_time"
    author = Str(attribute="author_name")


class ArticleDetail(ArticleSummary):
    """An article with its (sanitized) HTML content."""

    answers = "content"


class AdminArticle(ArticleSummary):
    """An article in an admin list, with its theme and author id."""

    audience = ADMIN
    answers = "theme author_id"


class AdminArticleDetail(AdminArticle):
    """An article with its (sanitized) HTML content."""

    answers = "content"
