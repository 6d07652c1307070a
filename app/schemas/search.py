"""Search shapes: hot keywords and the caller's search history (results are ProductSummary)."""

from app import models
from app.schemas.base import List, Shape, Str


class Keywords(Shape):
    """Keywords to offer, in order."""

    items = List(Str())


class SearchKeyword(Shape):
    """A keyword the caller searched."""

    model = models.SearchHistory
    answers = "id keyword create_time"
