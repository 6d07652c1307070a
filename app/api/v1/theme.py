"""Theme: public reads."""

from flask import Blueprint

from app.api.v1.product import PRODUCT_SUMMARY
from app.core.auth import public
from app.core.docs import INT, STR, arr, doc, items_of, obj, page_of, path_ids
from app.core.forms import PageForm
from app.services import catalog
from app.validators.catalog import ThemeIdsForm

bp = Blueprint("theme", __name__, url_prefix="/theme")

THEME_FIELDS = {
    "id": INT,
    "name": STR,
    "description": STR,
    "topic_img_url": STR,
    "head_img_url": STR,
}
THEME = obj(list(THEME_FIELDS), **THEME_FIELDS)
THEME_DETAIL = obj([*THEME_FIELDS, "products"], **THEME_FIELDS, products=arr(PRODUCT_SUMMARY))


@bp.get("")
@public
@doc("List themes by id", query=ThemeIdsForm, data=items_of(THEME), auth=False)
def list_themes_by_ids():
    """List the themes named by `ids`, in that order."""
    form = ThemeIdsForm().validate_or_raise()
    return catalog.cached_json(lambda: catalog.public_themes(form.ids.data))


@bp.get("/list")
@public
@doc("List themes, paginated", query=PageForm, data=page_of(THEME), auth=False)
def list_themes():
    """List themes a page at a time."""
    form = PageForm().validate_or_raise()
    return catalog.cached_json(lambda: catalog.public_theme_page(form))


@bp.get("/<int:id>")
@public
@doc("Get a theme with its products", data=THEME_DETAIL, path=path_ids("id"), auth=False)
def get_theme(id):
    """Get a theme with its on-sale products."""
    return catalog.cached_json(lambda: catalog.public_theme(id))
