"""Admin theme routes, with the theme-product links."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    Duplicated,
    ImageNotFound,
    ProductNotFound,
    ProductNotInTheme,
    ThemeNotFound,
)
from app.core.forms import PageForm
from app.schemas.base import Page
from app.schemas.common import Id
from app.schemas.theme import AdminTheme, AdminThemeDetail
from app.services import catalog
from app.validators.catalog import (
    ThemeCreateForm,
    ThemeProductForm,
    ThemeProductsForm,
    ThemeUpdateForm,
)

bp = Blueprint("theme", __name__, url_prefix="/theme")

MODULE = "主题"


@bp.get("/list")
@permission("查询主题", MODULE)
@doc("List themes", query=PageForm, data=Page(AdminTheme))
def list_themes():
    """List themes by id."""
    form = PageForm().validate_or_raise()
    return catalog.admin_theme_page(form)


@bp.get("/<int:id>")
@permission("查询主题", MODULE)
@doc(
    "Get a theme with its products",
    data=AdminThemeDetail,
    path=path_ids("id"),
    errors=[ThemeNotFound],
)
def get_theme(id):
    """Get a theme with every linked product, off-sale included."""
    return catalog.admin_theme(id)


@bp.post("")
@permission("新增主题", MODULE)
@doc(
    "Create a theme",
    body=ThemeCreateForm,
    data=AdminThemeDetail,
    status=201,
    errors=[ImageNotFound, ProductNotFound],
)
def create_theme():
    """Create a theme, optionally linking products in order."""
    form = ThemeCreateForm().validate_or_raise()
    return catalog.create_theme(form.data)


@bp.put("/<int:id>")
@permission("更新主题", MODULE)
@doc(
    "Update a theme",
    body=ThemeUpdateForm,
    data=AdminThemeDetail,
    status=201,
    path=path_ids("id"),
    errors=[ThemeNotFound, ImageNotFound],
)
def update_theme(id):
    """Update the fields sent."""
    form = ThemeUpdateForm().validate_or_raise()
    return catalog.update_theme(id, form.present())


@bp.put("/<int:id>/products")
@permission("更新主题", MODULE)
@doc(
    "Replace a theme's products",
    body=ThemeProductsForm,
    data=AdminThemeDetail,
    status=201,
    path=path_ids("id"),
    errors=[ThemeNotFound, ProductNotFound],
)
def replace_theme_products(id):
    """Replace the linked products, in the order given."""
    form = ThemeProductsForm().validate_or_raise()
    return catalog.replace_theme_products(id, form.product_ids.data)


@bp.delete("/<int:id>")
@permission("删除主题", MODULE)
@doc("Delete a theme", data=Id, status=202, path=path_ids("id"), errors=[ThemeNotFound])
def delete_theme(id):
    """Soft-delete a theme."""
    catalog.delete_theme(id)
    return {"id": id}


@bp.post("/<int:id>/product")
@permission("添加商品到主题", MODULE)
@doc(
    "Add a product to a theme",
    body=ThemeProductForm,
    data=AdminThemeDetail,
    status=201,
    path=path_ids("id"),
    errors=[ThemeNotFound, ProductNotFound, Duplicated],
)
def add_theme_product(id):
    """Link a product after the theme's last one."""
    form = ThemeProductForm().validate_or_raise()
    return catalog.add_theme_product(id, form.product_id.data)


@bp.delete("/<int:id>/product")
@permission("删除商品从主题", MODULE)
@doc(
    "Remove a product from a theme",
    query=ThemeProductForm,
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[ThemeNotFound, ProductNotInTheme],
)
def remove_theme_product(id):
    """Unlink the product named by the query's product_id."""
    form = ThemeProductForm().validate_or_raise()
    catalog.remove_theme_product(id, form.product_id.data)
    return {"id": form.product_id.data}


@bp.delete("/<int:id>/product/<int:product_id>")
@permission("删除商品从主题", MODULE)
@doc(
    "Remove a product from a theme",
    data=Id,
    status=202,
    path=path_ids("id", "product_id"),
    errors=[ThemeNotFound, ProductNotInTheme],
)
def remove_theme_product_by_path(id, product_id):
    """Unlink a product."""
    catalog.remove_theme_product(id, product_id)
    return {"id": product_id}
