"""Banner: public reads."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import BannerNotFound
from app.schemas.banner import Banner
from app.services import catalog

bp = Blueprint("banner", __name__, url_prefix="/banner")

banners = Resource(
    bp, shape=Banner, missing=[BannerNotFound], public=True, cache=catalog.cached_read
)
banners.get(
    "get_banner",
    public,
    "Get a banner with its items",
    "Get a banner with its items in order.",
    catalog.public_banner,
)
