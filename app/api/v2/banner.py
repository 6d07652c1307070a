"""Admin banner routes."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import BannerNotFound
from app.schemas.banner import AdminBanner, AdminBannerDetail
from app.services import catalog
from app.validators.catalog import BannerCreateForm, BannerUpdateForm

bp = Blueprint("banner", __name__, url_prefix="/banner")

MODULE = "轮播图"

banners = Resource(bp, MODULE, shape=AdminBanner, missing=[BannerNotFound])
banners.list(
    "list_banners",
    "查询轮播图列表",
    "List banners",
    "List banners by id.",
    catalog.admin_banner_page,
)
banners.get(
    "get_banner",
    "查询轮播图列表",
    "Get a banner with its items",
    "Get a banner with its items in order.",
    catalog.admin_banner,
    data=AdminBannerDetail,
)
banners.create(
    "create_banner",
    "新增轮播图",
    "Create a banner",
    "Create a banner.",
    BannerCreateForm,
    lambda data: catalog.create_banner(data["name"], data["description"]),
)
banners.update(
    "update_banner",
    "更新轮播图",
    "Update a banner",
    "Update the name or description sent (other keys of the edited row are ignored).",
    BannerUpdateForm,
    catalog.update_banner,
)
banners.delete(
    "delete_banner",
    "删除轮播图",
    "Delete a banner and its items",
    "Soft-delete a banner and its items.",
    catalog.delete_banner,
)
