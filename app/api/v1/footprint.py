"""Footprint: the products the caller opened, by day (recorded by GET /v1/product/{id})."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import doc, path_id_list
from app.core.exceptions import FootprintNotFound
from app.core.forms import ids_in_path
from app.schemas.base import Items
from app.schemas.common import Ids
from app.schemas.favorite import FootprintDay
from app.services import footprint

bp = Blueprint("footprint", __name__, url_prefix="/footprint")


@bp.get("")
@login_required
@doc("List my footprints by day", data=Items(FootprintDay))
def list_footprints():
    """List the products the caller opened (the newest 200), grouped by day, latest first."""
    return footprint.footprint_days(current_user().id)


@bp.delete("/<ids>")
@login_required
@doc(
    "Delete footprints",
    data=Ids,
    status=202,
    path=path_id_list("ids"),
    errors=[FootprintNotFound],
)
def delete_footprints(ids: str):
    """Delete one footprint or a comma list of them; all must be the caller's, or none goes."""
    return {"ids": footprint.delete_footprints(current_user().id, ids_in_path(ids))}
