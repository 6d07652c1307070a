"""Banner: public reads."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import doc, path_ids
from app.core.exceptions import BannerNotFound
from app.schemas.banner import Banner
from app.services import catalog

bp = Blueprint("banner", __name__, url_prefix="/banner")


@bp.get("/<int:id>")
@public
@catalog.cached_read
@doc(
    "Get a banner with its items",
    data=Banner,
    path=path_ids("id"),
    errors=[BannerNotFound],
    auth=False,
)
def get_banner(id):
    """Get a banner with its items in order."""
    return catalog.public_banner(id)
