"""Favorite: the products the caller keeps."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import doc, path_ids
from app.core.exceptions import FavoriteNotFound, ProductNotFound
from app.core.forms import PageForm
from app.schemas.base import FlagMap, Page
from app.schemas.favorite import FavoriteItem, FavoriteRemoved
from app.services import favorite
from app.validators.favorite import FavoriteAddForm, FavoriteCheckForm

bp = Blueprint("favorite", __name__, url_prefix="/favorite")


@bp.get("")
@login_required
@doc("List my favourites", query=PageForm, data=Page(FavoriteItem))
def list_favorites():
    """List the products the caller keeps, newest first; deleted or off-sale ones flagged."""
    form = PageForm().validate_or_raise()
    return favorite.favorite_page(current_user().id, form)


@bp.get("/check")
@login_required
@doc(
    "Tell which products I keep",
    query=FavoriteCheckForm,
    data=FlagMap('{"<product id>": true or false} for every id asked about'),
)
def check_favorites():
    """Answer, for each product id asked about, whether the caller keeps it."""
    form = FavoriteCheckForm().validate_or_raise()
    return favorite.favorite_flags(current_user().id, form.product_ids.data)


@bp.post("")
@login_required
@doc(
    "Keep a product",
    body=FavoriteAddForm,
    data=FavoriteItem,
    status=201,
    errors=[ProductNotFound],
)
def add_favorite():
    """Keep an on-sale product; keeping it again answers the same row."""
    form = FavoriteAddForm().validate_or_raise()
    return favorite.add_favorite(current_user().id, form.product_id.data)


@bp.delete("/<int:product_id>")
@login_required
@doc(
    "Stop keeping a product",
    data=FavoriteRemoved,
    status=202,
    path=path_ids("product_id"),
    errors=[FavoriteNotFound],
)
def remove_favorite(product_id):
    """Remove a product from the caller's favourites."""
    return {"product_id": favorite.remove_favorite(current_user().id, product_id)}
