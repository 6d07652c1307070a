"""Admin theme routes, with the theme-product links."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    Duplicated,
    ImageNotFound,
    ProductNotFound,
    ProductNotInTheme,
    ThemeNotFound,
)
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


themes = Resource(bp, MODULE, shape=AdminThemeDetail, missing=[ThemeNotFound])
themes.list(
    "list_themes",
    "查询主题",
    "List themes",
    "List themes by id.",
    catalog.admin_theme_page,
    data=Page(AdminTheme),
)
themes.get(
    "get_theme",
    "查询主题",
    "Get a theme with its products",
    "Get a theme with every linked product, off-sale included.",
    catalog.admin_theme,
)
themes.create(
    "create_theme",
    "新增主题",
    "Create a theme",
    "Create a theme, optionally linking products in order.",
    ThemeCreateForm,
    catalog.create_theme,
    errors=[ImageNotFound, ProductNotFound],
)
themes.update(
    "update_theme",
    "更新主题",
    "Update a theme",
    "Update the fields sent.",
    ThemeUpdateForm,
    catalog.update_theme,
    errors=[ThemeNotFound, ImageNotFound],
)


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


themes.delete(
    "delete_theme", "删除主题", "Delete a theme", "Soft-delete a theme.", catalog.delete_theme
)


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
