"""Admin banner item routes."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    BannerItemNotFound,
    BannerNotFound,
    ImageNotFound,
    ProductNotFound,
    ThemeNotFound,
)
from app.schemas.banner import AdminBannerItem
from app.schemas.common import Id
from app.services import catalog
from app.validators.catalog import BannerItemCreateForm, BannerItemUpdateForm

bp = Blueprint("banner_item", __name__, url_prefix="/banner_item")

MODULE = "轮播子图"


@bp.get("/<int:id>")
@permission("查询轮播图列表", "轮播图")
@doc(
    "Get a banner item",
    data=AdminBannerItem,
    path=path_ids("id"),
    errors=[BannerItemNotFound],
)
def get_banner_item(id):
    """Get one banner item."""
    return catalog.admin_banner_item(id)


@bp.post("")
@permission("新建轮播子图", MODULE)
@doc(
    "Create a banner item",
    body=BannerItemCreateForm,
    data=AdminBannerItem,
    status=201,
    errors=[BannerNotFound, ImageNotFound, ProductNotFound, ThemeNotFound],
)
def create_banner_item():
    """Add an item to a banner (type 1 links a product id, type 2 a theme id)."""
    form = BannerItemCreateForm().validate_or_raise()
    return catalog.create_banner_item(form.data)


@bp.put("/<int:id>")
@permission("更新轮播子图", MODULE)
@doc(
    "Update a banner item",
    body=BannerItemUpdateForm,
    data=AdminBannerItem,
    status=201,
    path=path_ids("id"),
    errors=[BannerItemNotFound, BannerNotFound, ImageNotFound, ProductNotFound, ThemeNotFound],
)
def update_banner_item(id):
    """Update the fields sent."""
    form = BannerItemUpdateForm().validate_or_raise()
    return catalog.update_banner_item(id, form.present())


@bp.delete("/<int:id>")
@permission("删除轮播子图", MODULE)
@doc(
    "Delete a banner item",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[BannerItemNotFound],
)
def delete_banner_item(id):
    """Soft-delete a banner item."""
    catalog.delete_banner_item(id)
    return {"id": id}
