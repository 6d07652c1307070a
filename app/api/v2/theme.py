"""Admin theme routes, with the theme-product links."""

from flask import Blueprint

from app.api.resource import Resource
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


themes.view(
    "PUT",
    "/<int:id>/products",
    "replace_theme_products",
    "更新主题",
    "Replace a theme's products",
    "Replace the linked products, in the order given.",
    lambda id, form: catalog.replace_theme_products(id, form.product_ids.data),
    body=ThemeProductsForm,
    errors=[ThemeNotFound, ProductNotFound],
)
themes.delete(
    "delete_theme", "删除主题", "Delete a theme", "Soft-delete a theme.", catalog.delete_theme
)
themes.view(
    "POST",
    "/<int:id>/product",
    "add_theme_product",
    "添加商品到主题",
    "Add a product to a theme",
    "Link a product after the theme's last one.",
    lambda id, form: catalog.add_theme_product(id, form.product_id.data),
    body=ThemeProductForm,
    errors=[ThemeNotFound, ProductNotFound, Duplicated],
)


def _remove_queried_product(id, form):
    catalog.remove_theme_product(id, form.product_id.data)
    return {"id": form.product_id.data}


themes.view(
    "DELETE",
    "/<int:id>/product",
    "remove_theme_product",
    "删除商品从主题",
    "Remove a product from a theme",
    "Unlink the product named by the query's product_id.",
    _remove_queried_product,
    query=ThemeProductForm,
    data=Id,
    errors=[ThemeNotFound, ProductNotInTheme],
)
themes.delete(
    "remove_theme_product_by_path",
    "删除商品从主题",
    "Remove a product from a theme",
    "Unlink a product.",
    catalog.remove_theme_product,
    rule="/<int:id>/product/<int:product_id>",
    errors=[ThemeNotFound, ProductNotInTheme],
)
