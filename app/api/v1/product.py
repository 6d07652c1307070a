"""Product: public reads (on-sale products only)."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import INT, MONEY, STR, arr, doc, items_of, nullable, obj, page_of, path_ids
from app.services import catalog
from app.validators.catalog import (
    AllProductsByCategoryForm,
    ProductsByCategoryForm,
    RecentProductsForm,
)

bp = Blueprint("product", __name__, url_prefix="/product")

PRODUCT_SUMMARY_FIELDS = {
    "id": INT,
    "name": STR,
    "price": MONEY,
    "stock": INT,
    "category_id": nullable(INT),
    "main_image": STR,
    "summary": STR,
}
PRODUCT_SUMMARY = obj(list(PRODUCT_SUMMARY_FIELDS), **PRODUCT_SUMMARY_FIELDS)
PROPERTY = obj(["id", "name", "detail"], id=INT, name=STR, detail=STR)
PRODUCT_DETAIL = obj(
    [*PRODUCT_SUMMARY_FIELDS, "images", "properties"],
    **PRODUCT_SUMMARY_FIELDS,
    images=arr(STR),
    properties=arr(PROPERTY),
)


@bp.get("/recent")
@public
@doc(
    "List the newest products", query=RecentProductsForm, data=items_of(PRODUCT_SUMMARY), auth=False
)
def list_recent_products():
    """List the newest on-sale products."""
    form = RecentProductsForm().validate_or_raise()
    return catalog.cached_json(lambda: catalog.recent_products(form.count.data))


@bp.get("/by_category")
@bp.get("/list/by_category")  # the original's path
@public
@doc(
    "List a category's products, paginated",
    query=ProductsByCategoryForm,
    data=page_of(PRODUCT_SUMMARY),
    auth=False,
)
def list_products_by_category():
    """List the on-sale products of a category a page at a time."""
    form = ProductsByCategoryForm().validate_or_raise()
    return catalog.cached_json(
        lambda: catalog.products_by_category_page(form.category_id.data, form)
    )


@bp.get("/all/by_category")
@public
@doc(
    "List a category's products (at most 100)",
    query=AllProductsByCategoryForm,
    data=items_of(PRODUCT_SUMMARY),
    auth=False,
)
def list_all_products_by_category():
    """List up to 100 on-sale products of a category."""
    form = AllProductsByCategoryForm().validate_or_raise()
    return catalog.cached_json(lambda: catalog.all_products_by_category(form.category_id.data))


@bp.get("/<int:id>")
@public
@doc("Get an on-sale product", data=PRODUCT_DETAIL, path=path_ids("id"), auth=False)
def get_product(id):
    """Get an on-sale product with its images and properties."""
    return catalog.cached_json(lambda: catalog.public_product(id))
