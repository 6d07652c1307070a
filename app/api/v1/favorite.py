"""Favorite: the products the caller keeps."""

from flask import Blueprint

from app.api.resource import Resource, caller_id
from app.core.auth import login_required
from app.core.exceptions import FavoriteNotFound, ProductNotFound
from app.core.forms import PageForm
from app.schemas.base import FlagMap, Page
from app.schemas.favorite import FavoriteItem, FavoriteRemoved
from app.services import favorite
from app.validators.favorite import FavoriteAddForm, FavoriteCheckForm

bp = Blueprint("favorite", __name__, url_prefix="/favorite")


favorites = Resource(bp, shape=FavoriteItem, missing=[FavoriteNotFound], key="product_id")
favorites.view(
    "GET",
    "",
    "list_favorites",
    login_required,
    "List my favourites",
    "List the products the caller keeps, newest first; deleted or off-sale ones flagged.",
    lambda form: favorite.favorite_page(caller_id(), form),
    query=PageForm,
    data=Page(FavoriteItem),
)
favorites.view(
    "GET",
    "/check",
    "check_favorites",
    login_required,
    "Tell which products I keep",
    "Answer, for each product id asked about, whether the caller keeps it.",
    lambda form: favorite.favorite_flags(caller_id(), form.product_ids.data),
    query=FavoriteCheckForm,
    data=FlagMap('{"<product id>": true or false} for every id asked about'),
)
favorites.view(
    "POST",
    "",
    "add_favorite",
    login_required,
    "Keep a product",
    "Keep an on-sale product; keeping it again answers the same row.",
    lambda form: favorite.add_favorite(caller_id(), form.product_id.data),
    body=FavoriteAddForm,
    data=FavoriteItem,
    errors=[ProductNotFound],
)
favorites.view(
    "DELETE",
    favorites.one,
    "remove_favorite",
    login_required,
    "Stop keeping a product",
    "Remove a product from the caller's favourites.",
    lambda product_id: {"product_id": favorite.remove_favorite(caller_id(), product_id)},
    data=FavoriteRemoved,
    errors=[FavoriteNotFound],
)
