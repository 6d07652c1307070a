"""Article shapes."""

from app.schemas.base import Int, Shape, Str, Time


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
