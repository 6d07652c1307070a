"""Theme: public reads."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import ThemeNotFound
from app.schemas.base import Items, Page
from app.schemas.theme import Theme, ThemeDetail
from app.services import catalog
from app.validators.catalog import ThemeIdsForm

bp = Blueprint("theme", __name__, url_prefix="/theme")

themes = Resource(
    bp, shape=ThemeDetail, missing=[ThemeNotFound], public=True, cache=catalog.cached_read
)
themes.view(
    "GET",
    "",
    "list_themes_by_ids",
    public,
    "List themes by id",
    "List the themes named by `ids`, in that order.",
    lambda form: catalog.public_themes(form.ids.data),
    query=ThemeIdsForm,
    data=Items(Theme),
)
themes.list(
    "list_themes",
    public,
    "List themes, paginated",
    "List themes a page at a time.",
    catalog.public_theme_page,
    data=Page(Theme),
)
themes.get(
    "get_theme",
    public,
    "Get a theme with its products",
    "Get a theme with its on-sale products.",
    catalog.public_theme,
)
