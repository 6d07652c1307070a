"""Product: public reads (on-sale products only)."""

from functools import wraps

from flask import Blueprint

from app.api.resource import Resource, guarded
from app.core.auth import current_user, public
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


def _caller_id():
    user = current_user()
    return user.id if user is not None else None


products = Resource(
    bp, shape=ProductDetail, missing=[ProductNotFound], public=True, cache=catalog.cached_read
)
products.view(
    "GET",
    "/recent",
    "list_recent_products",
    public,
    "List the newest products",
    "List the newest on-sale products.",
    lambda form: catalog.recent_products(form.count.data),
    query=RecentProductsForm,
    data=Items(ProductSummary),
)
products.view(
    "GET",
    ("/list/by_category", "/by_category"),  # the original's path first
    "list_products_by_category",
    public,
    "List a category's products, paginated",
    "List the on-sale products of a category a page at a time.",
    lambda form: catalog.products_by_category_page(form.category_id.data, form),
    query=ProductsByCategoryForm,
    data=Page(ProductSummary),
    errors=[CategoryNotFound],
)
products.view(
    "GET",
    "/all/by_category",
    "list_all_products_by_category",
    public,
    "List a category's products (at most 100)",
    "List up to 100 on-sale products of a category.",
    lambda form: catalog.all_products_by_category(form.category_id.data),
    query=AllProductsByCategoryForm,
    data=Items(ProductSummary),
    errors=[CategoryNotFound],
)
# Searching is not cached: a token, when sent, records the search.
Resource(bp, public=True).view(
    "GET",
    "/search",
    "search_products",
    public,
    "Search products",
    "Search on-sale products by name or summary; a token, when sent, records the search.",
    lambda form: search.search_products(form, _caller_id()),
    query=ProductSearchForm,
    data=Page(ProductSummary),
)
products.get(
    "get_product",
    guarded(public, _records_footprint),
    "Get an on-sale product",
    "Get an on-sale product with its images and properties.",
    catalog.public_product,
)
