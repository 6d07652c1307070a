"""Admin category routes."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import CategoryInUse, CategoryNotFound, Duplicated, ImageNotFound
from app.schemas.base import Page
from app.schemas.category import AdminCategory
from app.schemas.common import Id
from app.services import catalog
from app.validators.catalog import CategoryCreateForm, CategoryQueryForm, CategoryUpdateForm

bp = Blueprint("category", __name__, url_prefix="/category")

MODULE = "类别"


@bp.get("/list")
@permission("查询类别", MODULE)
@doc("List categories", query=CategoryQueryForm, data=Page(AdminCategory))
def list_categories():
    """List categories by id, optionally filtered by name."""
    form = CategoryQueryForm().validate_or_raise()
    return catalog.admin_category_page(form, form.keyword.data)


@bp.get("/<int:id>")
@permission("查询类别", MODULE)
@doc("Get a category", data=AdminCategory, path=path_ids("id"), errors=[CategoryNotFound])
def get_category(id):
    """Get one category."""
    return catalog.admin_category(id)


@bp.post("")
@permission("新增类别", MODULE)
@doc(
    "Create a category",
    body=CategoryCreateForm,
    data=AdminCategory,
    status=201,
    errors=[Duplicated, ImageNotFound],
)
def create_category():
    """Create a category with a unique name."""
    form = CategoryCreateForm().validate_or_raise()
    return catalog.create_category(form.name.data, form.description.data, form.topic_img_id.data)


@bp.put("/<int:id>")
@permission("更新类别", MODULE)
@doc(
    "Update a category",
    body=CategoryUpdateForm,
    data=AdminCategory,
    status=201,
    path=path_ids("id"),
    errors=[CategoryNotFound, Duplicated, ImageNotFound],
)
def update_category(id):
    """Update the fields sent."""
    form = CategoryUpdateForm().validate_or_raise()
    return catalog.update_category(id, form.present())


@bp.delete("/<int:id>")
@permission("删除类别", MODULE)
@doc(
    "Delete a category without live products",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[CategoryNotFound, CategoryInUse],
)
def delete_category(id):
    """Soft-delete an empty category."""
    catalog.delete_category(id)
    return {"id": id}
