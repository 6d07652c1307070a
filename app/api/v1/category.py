"""Category: public reads."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import doc, path_ids
from app.core.exceptions import CategoryNotFound
from app.core.forms import PageForm
from app.schemas.base import ArrayOf, Page
from app.schemas.category import Category
from app.services import catalog

bp = Blueprint("category", __name__, url_prefix="/category")


@bp.get("/all")
@public
@catalog.cached_read
@doc("List every category (a bare array)", data=ArrayOf(Category), auth=False)
def list_all_categories():
    """List every category by id."""
    return catalog.public_categories()


@bp.get("/list")
@public
@catalog.cached_read
@doc("List categories, paginated", query=PageForm, data=Page(Category), auth=False)
def list_categories():
    """List categories a page at a time."""
    form = PageForm().validate_or_raise()
    return catalog.public_category_page(form)


@bp.get("/<int:id>")
@public
@catalog.cached_read
@doc(
    "Get a category",
    data=Category,
    path=path_ids("id"),
    errors=[CategoryNotFound],
    auth=False,
)
def get_category(id):
    """Get one category."""
    return catalog.public_category(id)
