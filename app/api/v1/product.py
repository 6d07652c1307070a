"""Product: public reads (on-sale products only)."""

from functools import wraps

from flask import Blueprint

from app.core.auth import current_user, public
from app.core.docs import doc, path_ids
from app.core.exceptions import CategoryNotFound, ProductNotFound
from app.schemas.base import Items, Page
from app.schemas.product import ProductDetail, ProductSummary
from app.services import catalog, footprint, search
from app.validators.catalog import (
    AllProductsByCategoryForm,
    ProductsByCategoryForm,
    RecentProductsForm,
)
from app.validators.search import ProductSearchForm

bp = Blueprint("product", __name__, url_prefix="/product")


@bp.get("/recent")
@public
@catalog.cached_read
@doc(
    "List the newest products",
    query=RecentProductsForm,
    data=Items(ProductSummary),
    auth=False,
)
def list_recent_products():
    """List the newest on-sale products."""
    form = RecentProductsForm().validate_or_raise()
    return catalog.recent_products(form.count.data)


@bp.get("/by_category")
@bp.get("/list/by_category")  # the original's path
@public
@catalog.cached_read
@doc(
    "List a category's products, paginated",
    query=ProductsByCategoryForm,
    data=Page(ProductSummary),
    errors=[CategoryNotFound],
    auth=False,
)
def list_products_by_category():
    """List the on-sale products of a category a page at a time."""
    form = ProductsByCategoryForm().validate_or_raise()
    return catalog.products_by_category_page(form.category_id.data, form)


@bp.get("/all/by_category")
@public
@catalog.cached_read
@doc(
    "List a category's products (at most 100)",
    query=AllProductsByCategoryForm,
    data=Items(ProductSummary),
    errors=[CategoryNotFound],
    auth=False,
)
def list_all_products_by_category():
    """List up to 100 on-sale products of a category."""
    form = AllProductsByCategoryForm().validate_or_raise()
    return catalog.all_products_by_category(form.category_id.data)


@bp.get("/search")
@public
@doc("Search products", query=ProductSearchForm, data=Page(ProductSummary), auth=False)
def search_products():
    """Search on-sale products by name or summary; a token, when sent, records the search."""
    form = ProductSearchForm().validate_or_raise()
    user = current_user()
    return search.search_products(form, user.id if user is not None else None)


def _records_footprint(view):
    """Record a logged-in caller's footprint after the (possibly cached) detail answered the
    product: one upsert, never part of the cached public body."""

    @wraps(view)
    def recording(id):
        user = current_user()
        # Read before the cached read ends the token check's transaction (which expires the
        # user row: reading it after would load it again).
        user_id = user.id if user is not None else None
        response = view(id)
        if user_id is not None and response.status_code in (200, 304):
            footprint.record_view(user_id, id)
        return response

    return recording


@bp.get("/<int:id>")
@public
@_records_footprint
@catalog.cached_read
@doc(
    "Get an on-sale product",
    data=ProductDetail,
    path=path_ids("id"),
    errors=[ProductNotFound],
    auth=False,
)
def get_product(id):
    """Get an on-sale product with its images and properties."""
    return catalog.public_product(id)
