"""Search shapes: hot keywords and the caller's search history (results are ProductSummary)."""

from app.schemas.base import Int, List, Shape, Str, Time


class Keywords(Shape):
    """Keywords to offer, in order."""

    items = List(Str())


class SearchKeyword(Shape):
    """A keyword the caller searched."""

    id = Int()
    keyword = Str()
    create_time = Time()  # the latest search of it
