"""Footprint: the products the caller opened, by day (recorded by GET /v1/product/{id})."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user, login_required
from app.core.exceptions import FootprintNotFound
from app.schemas.base import Items
from app.schemas.favorite import FootprintDay
from app.services import footprint

bp = Blueprint("footprint", __name__, url_prefix="/footprint")

footprints = Resource(bp, shape=FootprintDay, missing=[FootprintNotFound])
footprints.view(
    "GET",
    "",
    "list_footprints",
    login_required,
    "List my footprints by day",
    "List the products the caller opened (the newest 200), grouped by day, latest first.",
    lambda: footprint.footprint_days(current_user().id),
    data=Items(FootprintDay),
)
footprints.delete_many(
    "delete_footprints",
    login_required,
    "Delete footprints",
    "Delete one footprint or a comma list of them; all must be the caller's, or none goes.",
    lambda ids: footprint.delete_footprints(current_user().id, ids),
)
