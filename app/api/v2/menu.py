"""Group menus: the routes a group sees in the CMS sidebar."""

from flask import Blueprint

from app.core.auth import current_user, staff_required, super_required
from app.core.docs import doc
from app.core.exceptions import Forbidden, GroupNotFound, RouteNotFound
from app.schemas.base import ArrayOf
from app.schemas.route import RouteNode
from app.services import access
from app.validators.admin import GroupQueryForm, MenuUpdateForm

bp = Blueprint("menu", __name__, url_prefix="/menu")


@bp.get("")
@staff_required
@doc(
    "A menu tree: a group's (super admin) or the caller's own",
    query=GroupQueryForm,
    data=ArrayOf(RouteNode),
    errors=[GroupNotFound],
)
def get_menu():
    """Show a group's menu tree, or without group_id the caller's own."""
    form = GroupQueryForm().validate_or_raise()
    user = current_user()
    if form.group_id.data is None:
        return access.own_menu(user)
    if not user.is_super:
        raise Forbidden()
    return access.group_menu(access.get_group(form.group_id.data).id)


@bp.put("")
@super_required
@doc(
    "Replace a group's menu",
    body=MenuUpdateForm,
    data=ArrayOf(RouteNode),
    status=201,
    errors=[GroupNotFound, RouteNotFound],
)
def update_menu():
    """Grant a group exactly the routes found in the nested nodes."""
    form = MenuUpdateForm().validate_or_raise()
    group = access.get_group(form.group_id.data)
    return access.set_menu(group, form.routes.data)
