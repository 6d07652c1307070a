"""Admin category routes."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import ID, INT, STR, TIME, doc, nullable, obj, page_of, path_ids
from app.core.response import created, deleted, ok
from app.services import catalog
from app.validators.catalog import CategoryCreateForm, CategoryQueryForm, CategoryUpdateForm

bp = Blueprint("category", __name__, url_prefix="/category")

_FIELDS = {
    "id": INT,
    "name": STR,
    "description": STR,
    "image": STR,
    "topic_img_id": nullable(INT),
    "product_count": INT,
    "create_time": TIME,
    "update_time": TIME,
}
ADMIN_CATEGORY = obj(list(_FIELDS), **_FIELDS)
MODULE = "类别"


@bp.get("/list")
@permission("查询类别", MODULE)
@doc("List categories", query=CategoryQueryForm, data=page_of(ADMIN_CATEGORY))
def list_categories():
    """List categories by id, optionally filtered by name."""
    form = CategoryQueryForm().validate_or_raise()
    return ok(catalog.admin_category_page(form, form.keyword.data))


@bp.get("/<int:id>")
@permission("查询类别", MODULE)
@doc("Get a category", data=ADMIN_CATEGORY, path=path_ids("id"))
def get_category(id):
    """Get one category."""
    return ok(catalog.admin_category(id))


@bp.post("")
@permission("新增类别", MODULE)
@doc("Create a category", body=CategoryCreateForm, data=ADMIN_CATEGORY, status=201)
def create_category():
    """Create a category with a unique name."""
    form = CategoryCreateForm().validate_or_raise()
    return created(
        catalog.create_category(form.name.data, form.description.data, form.topic_img_id.data)
    )


@bp.put("/<int:id>")
@permission("更新类别", MODULE)
@doc(
    "Update a category",
    body=CategoryUpdateForm,
    data=ADMIN_CATEGORY,
    status=201,
    path=path_ids("id"),
)
def update_category(id):
    """Update the fields sent."""
    form = CategoryUpdateForm().validate_or_raise()
    return created(catalog.update_category(id, form.present()))


@bp.delete("/<int:id>")
@permission("删除类别", MODULE)
@doc("Delete a category without live products", data=ID, status=202, path=path_ids("id"))
def delete_category(id):
    """Soft-delete an empty category."""
    catalog.delete_category(id)
    return deleted({"id": id})
