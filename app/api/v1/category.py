"""Category: public reads."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import public
from app.core.exceptions import CategoryNotFound
from app.schemas.base import ArrayOf
from app.schemas.category import Category
from app.services import catalog

bp = Blueprint("category", __name__, url_prefix="/category")

categories = Resource(
    bp, shape=Category, missing=[CategoryNotFound], public=True, cache=catalog.cached_read
)
categories.view(
    "GET",
    "/all",
    "list_all_categories",
    public,
    "List every category (a bare array)",
    "List every category by id.",
    catalog.public_categories,
    data=ArrayOf(Category),
)
categories.list(
    "list_categories",
    public,
    "List categories, paginated",
    "List categories a page at a time.",
    catalog.public_category_page,
)
categories.get(
    "get_category", public, "Get a category", "Get one category.", catalog.public_category
)
