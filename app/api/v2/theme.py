"""Admin theme routes, with the theme-product links."""

from flask import Blueprint

from app.api.v2.product import ADMIN_PRODUCT_SUMMARY
from app.core.auth import permission
from app.core.docs import ID, INT, TIME, arr, doc, nullable, obj, page_of, path_ids, properties_of
from app.core.forms import PageForm
from app.core.response import created, deleted, ok
from app.schemas.theme import Theme
from app.services import catalog
from app.validators.catalog import (
    ThemeCreateForm,
    ThemeProductForm,
    ThemeProductsForm,
    ThemeUpdateForm,
)

bp = Blueprint("theme", __name__, url_prefix="/theme")

THEME_FIELDS = properties_of(Theme)

_FIELDS = {
    **THEME_FIELDS,
    "topic_img_id": nullable(INT),
    "head_img_id": nullable(INT),
    "create_time": TIME,
    "update_time": TIME,
}
ADMIN_THEME = obj(list(_FIELDS), **_FIELDS)
_DETAIL = {**_FIELDS, "products": arr(ADMIN_PRODUCT_SUMMARY), "product_ids": arr(INT)}
ADMIN_THEME_DETAIL = obj(list(_DETAIL), **_DETAIL)
MODULE = "主题"


@bp.get("/list")
@permission("查询主题", MODULE)
@doc("List themes", query=PageForm, data=page_of(ADMIN_THEME))
def list_themes():
    """List themes by id."""
    form = PageForm().validate_or_raise()
    return ok(catalog.admin_theme_page(form))


@bp.get("/<int:id>")
@permission("查询主题", MODULE)
@doc("Get a theme with its products", data=ADMIN_THEME_DETAIL, path=path_ids("id"))
def get_theme(id):
    """Get a theme with every linked product, off-sale included."""
    return ok(catalog.admin_theme(id))


@bp.post("")
@permission("新增主题", MODULE)
@doc("Create a theme", body=ThemeCreateForm, data=ADMIN_THEME_DETAIL, status=201)
def create_theme():
    """Create a theme, optionally linking products in order."""
    form = ThemeCreateForm().validate_or_raise()
    return created(catalog.create_theme(form.data))


@bp.put("/<int:id>")
@permission("更新主题", MODULE)
@doc(
    "Update a theme",
    body=ThemeUpdateForm,
    data=ADMIN_THEME_DETAIL,
    status=201,
    path=path_ids("id"),
)
def update_theme(id):
    """Update the fields sent."""
    form = ThemeUpdateForm().validate_or_raise()
    return created(catalog.update_theme(id, form.present()))


@bp.put("/<int:id>/products")
@permission("更新主题", MODULE)
@doc(
    "Replace a theme's products",
    body=ThemeProductsForm,
    data=ADMIN_THEME_DETAIL,
    status=201,
    path=path_ids("id"),
)
def replace_theme_products(id):
    """Replace the linked products, in the order given."""
    form = ThemeProductsForm().validate_or_raise()
    return created(catalog.replace_theme_products(id, form.product_ids.data))


@bp.delete("/<int:id>")
@permission("删除主题", MODULE)
@doc("Delete a theme", data=ID, status=202, path=path_ids("id"))
def delete_theme(id):
    """Soft-delete a theme."""
    catalog.delete_theme(id)
    return deleted({"id": id})


@bp.post("/<int:id>/product")
@permission("添加商品到主题", MODULE)
@doc(
    "Add a product to a theme",
    body=ThemeProductForm,
    data=ADMIN_THEME_DETAIL,
    status=201,
    path=path_ids("id"),
)
def add_theme_product(id):
    """Link a product after the theme's last one."""
    form = ThemeProductForm().validate_or_raise()
    return created(catalog.add_theme_product(id, form.product_id.data))


@bp.delete("/<int:id>/product")
@permission("删除商品从主题", MODULE)
@doc(
    "Remove a product from a theme",
    query=ThemeProductForm,
    data=ID,
    status=202,
    path=path_ids("id"),
)
def remove_theme_product(id):
    """Unlink the product named by the query's product_id."""
    form = ThemeProductForm().validate_or_raise()
    catalog.remove_theme_product(id, form.product_id.data)
    return deleted({"id": form.product_id.data})


@bp.delete("/<int:id>/product/<int:product_id>")
@permission("删除商品从主题", MODULE)
@doc(
    "Remove a product from a theme",
    data=ID,
    status=202,
    path=path_ids("id", "product_id"),
)
def remove_theme_product_by_path(id, product_id):
    """Unlink a product."""
    catalog.remove_theme_product(id, product_id)
    return deleted({"id": product_id})
