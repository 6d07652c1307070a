"""Banner: public reads."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import INT, STR, arr, doc, obj, path_ids
from app.services import catalog

bp = Blueprint("banner", __name__, url_prefix="/banner")

BANNER_ITEM = obj(["id", "key_word", "type", "image"], id=INT, key_word=STR, type=INT, image=STR)
BANNER = obj(
    ["id", "name", "description", "items"],
    id=INT,
    name=STR,
    description=STR,
    items=arr(BANNER_ITEM),
)


@bp.get("/<int:id>")
@public
@doc("Get a banner with its items", data=BANNER, path=path_ids("id"), auth=False)
def get_banner(id):
    """Get a banner with its items in order."""
    return catalog.cached_json(lambda: catalog.public_banner(id))
