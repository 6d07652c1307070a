"""Theme: public reads."""

from flask import Blueprint

from app.core.auth import public
from app.core.docs import doc, path_ids
from app.core.exceptions import ThemeNotFound
from app.core.forms import PageForm
from app.schemas.base import Items, Page
from app.schemas.theme import Theme, ThemeDetail
from app.services import catalog
from app.validators.catalog import ThemeIdsForm

bp = Blueprint("theme", __name__, url_prefix="/theme")


@bp.get("")
@public
@catalog.cached_read
@doc("List themes by id", query=ThemeIdsForm, data=Items(Theme), auth=False)
def list_themes_by_ids():
    """List the themes named by `ids`, in that order."""
    form = ThemeIdsForm().validate_or_raise()
    return catalog.public_themes(form.ids.data)


@bp.get("/list")
@public
@catalog.cached_read
@doc("List themes, paginated", query=PageForm, data=Page(Theme), auth=False)
def list_themes():
    """List themes a page at a time."""
    form = PageForm().validate_or_raise()
    return catalog.public_theme_page(form)


@bp.get("/<int:id>")
@public
@catalog.cached_read
@doc(
    "Get a theme with its products",
    data=ThemeDetail,
    path=path_ids("id"),
    errors=[ThemeNotFound],
    auth=False,
)
def get_theme(id):
    """Get a theme with its on-sale products."""
    return catalog.public_theme(id)
