"""Admin banner item routes."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import (
    BannerItemNotFound,
    BannerNotFound,
    ImageNotFound,
    ProductNotFound,
    ThemeNotFound,
)
from app.schemas.banner import AdminBannerItem
from app.services import catalog
from app.validators.catalog import BannerItemCreateForm, BannerItemUpdateForm

bp = Blueprint("banner_item", __name__, url_prefix="/banner_item")

MODULE = "轮播子图"
LINKS = [BannerNotFound, ImageNotFound, ProductNotFound, ThemeNotFound]

items = Resource(bp, MODULE, shape=AdminBannerItem, missing=[BannerItemNotFound])
items.get(
    "get_banner_item",
    ("查询轮播图列表", "轮播图"),
    "Get a banner item",
    "Get one banner item.",
    catalog.admin_banner_item,
)
items.create(
    "create_banner_item",
    "新建轮播子图",
    "Create a banner item",
    "Add an item to a banner (type 1 links a product id, type 2 a theme id).",
    BannerItemCreateForm,
    catalog.create_banner_item,
    errors=LINKS,
)
items.update(
    "update_banner_item",
    "更新轮播子图",
    "Update a banner item",
    "Update the fields sent.",
    BannerItemUpdateForm,
    catalog.update_banner_item,
    errors=[BannerItemNotFound, *LINKS],
)
items.delete(
    "delete_banner_item",
    "删除轮播子图",
    "Delete a banner item",
    "Soft-delete a banner item.",
    catalog.delete_banner_item,
)
