"""Search: hot keywords and the caller's search history (the search is GET /v1/product/search)."""

from flask import Blueprint

from app.core.auth import current_user, login_required, public
from app.core.docs import doc
from app.schemas.base import Items
from app.schemas.common import Ids
from app.schemas.search import Keywords, SearchKeyword
from app.services import search

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/hot")
@public
@doc("Hot search keywords", data=Keywords, auth=False)
def list_hot_keywords():
    """List the hot keywords the shop sets (config parameter shop.search.hot)."""
    return {"items": search.hot_keywords()}


@bp.get("/history")
@login_required
@doc("My search history", data=Items(SearchKeyword))
def list_search_history():
    """List the caller's latest searches, newest first."""
    return {"items": search.list_history(current_user().id)}


@bp.delete("/history")
@login_required
@doc("Clear my search history", data=Ids, status=202)
def clear_search_history():
    """Delete the caller's whole search history."""
    return {"ids": search.clear_history(current_user().id)}
