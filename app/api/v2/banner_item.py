"""Admin banner item routes."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import ID, INT, STR, TIME, doc, obj, path_ids
from app.core.response import created, deleted, ok
from app.services import catalog
from app.validators.catalog import BannerItemCreateForm, BannerItemUpdateForm

bp = Blueprint("banner_item", __name__, url_prefix="/banner_item")

_FIELDS = {
    "id": INT,
    "banner_id": INT,
    "img_id": INT,
    "image": STR,
    "key_word": STR,
    "type": INT,
    "order": INT,
    "create_time": TIME,
    "update_time": TIME,
}
ADMIN_BANNER_ITEM = obj(list(_FIELDS), **_FIELDS)
MODULE = "轮播子图"


@bp.get("/<int:id>")
@permission("查询轮播图列表", "轮播图")
@doc("Get a banner item", data=ADMIN_BANNER_ITEM, path=path_ids("id"))
def get_banner_item(id):
    """Get one banner item."""
    return ok(catalog.admin_banner_item(id))


@bp.post("")
@permission("新建轮播子图", MODULE)
@doc("Create a banner item", body=BannerItemCreateForm, data=ADMIN_BANNER_ITEM, status=201)
def create_banner_item():
    """Add an item to a banner (type 1 links a product id, type 2 a theme id)."""
    form = BannerItemCreateForm().validate_or_raise()
    return created(catalog.create_banner_item(form.data))


@bp.put("/<int:id>")
@permission("更新轮播子图", MODULE)
@doc(
    "Update a banner item",
    body=BannerItemUpdateForm,
    data=ADMIN_BANNER_ITEM,
    status=201,
    path=path_ids("id"),
)
def update_banner_item(id):
    """Update the fields sent."""
    form = BannerItemUpdateForm().validate_or_raise()
    return created(catalog.update_banner_item(id, form.present()))


@bp.delete("/<int:id>")
@permission("删除轮播子图", MODULE)
@doc("Delete a banner item", data=ID, status=202, path=path_ids("id"))
def delete_banner_item(id):
    """Soft-delete a banner item."""
    catalog.delete_banner_item(id)
    return deleted({"id": id})
