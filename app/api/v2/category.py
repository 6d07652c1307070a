"""Admin category routes."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import CategoryInUse, CategoryNotFound, Duplicated, ImageNotFound
from app.schemas.category import AdminCategory
from app.services import catalog
from app.validators.catalog import CategoryCreateForm, CategoryQueryForm, CategoryUpdateForm

bp = Blueprint("category", __name__, url_prefix="/category")

MODULE = "类别"

categories = Resource(bp, MODULE, shape=AdminCategory, missing=[CategoryNotFound])
categories.list(
    "list_categories",
    "查询类别",
    "List categories",
    "List categories by id, optionally filtered by name.",
    lambda form: catalog.admin_category_page(form, form.keyword.data),
    form=CategoryQueryForm,
)
categories.get(
    "get_category", "查询类别", "Get a category", "Get one category.", catalog.admin_category
)
categories.create(
    "create_category",
    "新增类别",
    "Create a category",
    "Create a category with a unique name.",
    CategoryCreateForm,
    lambda data: catalog.create_category(data["name"], data["description"], data["topic_img_id"]),
    errors=[Duplicated, ImageNotFound],
)
categories.update(
    "update_category",
    "更新类别",
    "Update a category",
    "Update the fields sent.",
    CategoryUpdateForm,
    catalog.update_category,
    errors=[CategoryNotFound, Duplicated, ImageNotFound],
)
categories.delete(
    "delete_category",
    "删除类别",
    "Delete a category without live products",
    "Soft-delete an empty category.",
    catalog.delete_category,
    errors=[CategoryNotFound, CategoryInUse],
)
