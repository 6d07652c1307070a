"""Admin banner routes."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import BannerNotFound
from app.core.forms import PageForm
from app.schemas.banner import AdminBanner, AdminBannerDetail
from app.schemas.base import Page
from app.schemas.common import Id
from app.services import catalog
from app.validators.catalog import BannerCreateForm, BannerUpdateForm

bp = Blueprint("banner", __name__, url_prefix="/banner")

MODULE = "轮播图"


@bp.get("/list")
@permission("查询轮播图列表", MODULE)
@doc("List banners", query=PageForm, data=Page(AdminBanner))
def list_banners():
    """List banners by id."""
    form = PageForm().validate_or_raise()
    return catalog.admin_banner_page(form)


@bp.get("/<int:id>")
@permission("查询轮播图列表", MODULE)
@doc(
    "Get a banner with its items",
    data=AdminBannerDetail,
    path=path_ids("id"),
    errors=[BannerNotFound],
)
def get_banner(id):
    """Get a banner with its items in order."""
    return catalog.admin_banner(id)


@bp.post("")
@permission("新增轮播图", MODULE)
@doc("Create a banner", body=BannerCreateForm, data=AdminBanner, status=201)
def create_banner():
    """Create a banner."""
    form = BannerCreateForm().validate_or_raise()
    return catalog.create_banner(form.name.data, form.description.data)


@bp.put("/<int:id>")
@permission("更新轮播图", MODULE)
@doc(
    "Update a banner",
    body=BannerUpdateForm,
    data=AdminBanner,
    status=201,
    path=path_ids("id"),
    errors=[BannerNotFound],
)
def update_banner(id):
    """Update the name or description sent (other keys of the edited row are ignored)."""
    form = BannerUpdateForm().validate_or_raise()
    return catalog.update_banner(id, form.present())


@bp.delete("/<int:id>")
@permission("删除轮播图", MODULE)
@doc(
    "Delete a banner and its items",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[BannerNotFound],
)
def delete_banner(id):
    """Soft-delete a banner and its items."""
    catalog.delete_banner(id)
    return {"id": id}
