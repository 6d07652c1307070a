"""Category: public reads."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import INT, STR, arr, doc, obj, page_of, path_ids
from app.core.forms import PageForm
from app.services import catalog

bp = Blueprint("category", __name__, url_prefix="/category")

CATEGORY = obj(["id", "name", "description", "image"], id=INT, name=STR, description=STR, image=STR)


@bp.get("/all")
@public
@doc("List every category (a bare array)", data=arr(CATEGORY), auth=False)
def list_all_categories():
    """List every category by id."""
    return catalog.cached_json(catalog.public_categories)


@bp.get("/list")
@public
@doc("List categories, paginated", query=PageForm, data=page_of(CATEGORY), auth=False)
def list_categories():
    """List categories a page at a time."""
    form = PageForm().validate_or_raise()
    return catalog.cached_json(lambda: catalog.public_category_page(form))


@bp.get("/<int:id>")
@public
@doc("Get a category", data=CATEGORY, path=path_ids("id"), auth=False)
def get_category(id):
    """Get one category."""
    return catalog.cached_json(lambda: catalog.public_category(id))
