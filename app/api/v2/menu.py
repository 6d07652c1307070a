"""Group menus: the routes a group sees in the CMS sidebar."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user, staff_required, super_required
from app.core.exceptions import GroupNotFound, RouteNotFound
from app.schemas.base import ArrayOf
from app.schemas.route import RouteNode
from app.services import access
from app.validators.admin import GroupQueryForm, MenuUpdateForm

bp = Blueprint("menu", __name__, url_prefix="/menu")


menus = Resource(bp, shape=ArrayOf(RouteNode))
menus.view(
    "GET",
    "",
    "get_menu",
    staff_required,
    "A menu tree: a group's (super admin) or the caller's own",
    "Show a group's menu tree, or without group_id the caller's own.",
    lambda form: access.menu_for(current_user(), form.group_id.data),
    query=GroupQueryForm,
    errors=[GroupNotFound],
)
menus.view(
    "PUT",
    "",
    "update_menu",
    super_required,
    "Replace a group's menu",
    "Grant a group exactly the routes found in the nested nodes.",
    lambda form: access.set_menu(access.get_group(form.group_id.data), form.routes.data),
    body=MenuUpdateForm,
    errors=[GroupNotFound, RouteNotFound],
)
