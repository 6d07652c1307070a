"""Product search, hot keywords and each customer's search history.

The search itself goes through a `SearchBackend` (backend.py), chosen by the SEARCH_BACKEND
setting; `database` (database.py) is the default and the only one shipped. Another backend
(Elasticsearch, OpenSearch) is a class with the same `search(query) -> page` method registered
in BACKENDS; README "Search" says when one is worth it and what it must do.
"""

from flask import current_app

from app.core.pagination import page_args
from app.services.config_params import config_value
from app.services.search.backend import SearchBackend, SearchQuery
from app.services.search.database import DatabaseSearch
from app.services.search.history import HISTORY_MAX, clear_history, list_history, record_search

__all__ = [
    "BACKENDS",
    "HISTORY_MAX",
    "HOT_KEY",
    "HOT_MAX",
    "SearchBackend",
    "SearchQuery",
    "backend",
    "clear_history",
    "hot_keywords",
    "list_history",
    "record_search",
    "search_products",
]

BACKENDS: dict[str, type] = {"database": DatabaseSearch}
HOT_KEY = "shop.search.hot"  # config parameter: a JSON array of keywords
HOT_MAX = 20


def backend() -> SearchBackend:
    return BACKENDS[current_app.config["SEARCH_BACKEND"]]()


def search_products(form, user_id: int | None = None) -> dict:
    """One page of the products the search form finds; a logged-in caller's non-empty text
    goes into their history first."""
    page, size = page_args(form)
    query = SearchQuery(
        text=form.q.data or "",
        category_id=form.category_id.data,
        min_price=form.min_price.data,
        max_price=form.max_price.data,
        sort=form.sort.data,
        order=form.order.data,
        page=page,
        size=size,
    )
    if user_id is not None and query.text:
        record_search(user_id, query.text)
    return backend().search(query)


def hot_keywords() -> list[str]:
    """The keywords of the `shop.search.hot` parameter, in its order (an admin edits it; what is
    not a non-empty string is skipped, a value that is not a list answers none)."""
    value = config_value(HOT_KEY, [])
    if not isinstance(value, list):
        return []
    words = [word.strip() for word in value if isinstance(word, str)]
    return list(dict.fromkeys(word for word in words if word))[:HOT_MAX]
