"""Admin banner routes."""

from flask import Blueprint

from app.api.v2.banner_item import ADMIN_BANNER_ITEM
from app.core.auth import permission
from app.core.docs import ID, INT, STR, TIME, arr, doc, obj, page_of, path_ids
from app.core.forms import PageForm
from app.core.response import created, deleted, ok
from app.services import catalog
from app.validators.catalog import BannerCreateForm, BannerUpdateForm

bp = Blueprint("banner", __name__, url_prefix="/banner")

_FIELDS = {"id": INT, "name": STR, "description": STR, "create_time": TIME, "update_time": TIME}
ADMIN_BANNER = obj(list(_FIELDS), **_FIELDS)
ADMIN_BANNER_DETAIL = obj([*_FIELDS, "items"], **_FIELDS, items=arr(ADMIN_BANNER_ITEM))
MODULE = "轮播图"


@bp.get("/list")
@permission("查询轮播图列表", MODULE)
@doc("List banners", query=PageForm, data=page_of(ADMIN_BANNER))
def list_banners():
    """List banners by id."""
    form = PageForm().validate_or_raise()
    return ok(catalog.admin_banner_page(form))


@bp.get("/<int:id>")
@permission("查询轮播图列表", MODULE)
@doc("Get a banner with its items", data=ADMIN_BANNER_DETAIL, path=path_ids("id"))
def get_banner(id):
    """Get a banner with its items in order."""
    return ok(catalog.admin_banner(id))


@bp.post("")
@permission("新增轮播图", MODULE)
@doc("Create a banner", body=BannerCreateForm, data=ADMIN_BANNER, status=201)
def create_banner():
    """Create a banner."""
    form = BannerCreateForm().validate_or_raise()
    return created(catalog.create_banner(form.name.data, form.description.data))


@bp.put("/<int:id>")
@permission("更新轮播图", MODULE)
@doc(
    "Update a banner",
    body=BannerUpdateForm,
    data=ADMIN_BANNER,
    status=201,
    path=path_ids("id"),
)
def update_banner(id):
    """Update the name or description sent (other keys of the edited row are ignored)."""
    form = BannerUpdateForm().validate_or_raise()
    return created(catalog.update_banner(id, form.present()))


@bp.delete("/<int:id>")
@permission("删除轮播图", MODULE)
@doc("Delete a banner and its items", data=ID, status=202, path=path_ids("id"))
def delete_banner(id):
    """Soft-delete a banner and its items."""
    catalog.delete_banner(id)
    return deleted({"id": id})
