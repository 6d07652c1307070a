"""Search: hot keywords and the caller's search history (the search is GET /v1/product/search)."""

from flask import Blueprint

from app.api.resource import Resource, caller_id
from app.core.auth import login_required, public
from app.schemas.base import Items
from app.schemas.common import Ids
from app.schemas.search import Keywords, SearchKeyword
from app.services import search

bp = Blueprint("search", __name__, url_prefix="/search")


keywords = Resource(bp)
keywords.view(
    "GET",
    "/hot",
    "list_hot_keywords",
    public,
    "Hot search keywords",
    "List the hot keywords the shop sets (config parameter shop.search.hot).",
    lambda: {"items": search.hot_keywords()},
    data=Keywords,
    auth=False,
)
keywords.view(
    "GET",
    "/history",
    "list_search_history",
    login_required,
    "My search history",
    "List the caller's latest searches, newest first.",
    lambda: {"items": search.list_history(caller_id())},
    data=Items(SearchKeyword),
)
keywords.view(
    "DELETE",
    "/history",
    "clear_search_history",
    login_required,
    "Clear my search history",
    "Delete the caller's whole search history.",
    lambda: {"ids": search.clear_history(caller_id())},
    data=Ids,
)
