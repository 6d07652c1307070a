"""The CMS route tree (sidebar and pages)."""

from flask import Blueprint

from app.core.auth import staff_required, super_required
from app.core.docs import INT, doc, path_ids
from app.core.exceptions import Duplicated, InvalidRouteTree, RouteNotFound
from app.core.forms import json_body
from app.models.access import RouteNode as TreeNode
from app.schemas.base import ArrayOf
from app.schemas.common import Ids
from app.schemas.route import RouteNode, RouteNodeWithElements
from app.services import access
from app.validators.admin import RouteCreateForm, RouteUpdateForm

bp = Blueprint("route", __name__, url_prefix="/route")

TREE_BODY = {
    "type": "array",
    "items": {"type": "object", "properties": {"id": INT, "children": {"type": "array"}}},
}


@bp.get("/tree")
@staff_required
@doc("The whole route tree", data=ArrayOf(RouteNode))
def get_route_tree():
    """Show every route as a tree."""
    return access.full_tree()


@bp.get("/tree/with_element")
@super_required
@doc("The whole route tree with page elements", data=ArrayOf(RouteNodeWithElements))
def get_route_tree_with_elements():
    """Show every route as a tree, each with its page elements."""
    return access.tree_with_elements()


@bp.put("/tree")
@super_required
@doc(
    "Re-arrange the route tree",
    raw_body=TREE_BODY,
    data=ArrayOf(RouteNode),
    status=201,
    errors=[RouteNotFound, InvalidRouteTree],
)
def update_route_tree():
    """Re-parent and re-order routes as the nested array places them."""
    return access.save_tree(json_body())


@bp.get("/<int:id>")
@super_required
@doc("Get a route with its subtree", data=RouteNode, path=path_ids("id"), errors=[RouteNotFound])
def get_route(id):
    """Show one route and everything below it."""
    return access.route_subtree(access.get_route(id))


@bp.post("")
@super_required
@doc(
    "Create a route",
    body=RouteCreateForm,
    data=RouteNode,
    status=201,
    errors=[RouteNotFound, Duplicated],
)
def create_route():
    """Add a route to the tree."""
    form = RouteCreateForm().validate_or_raise()
    fields = form.present()
    fields.setdefault("parent_id", 0)
    return TreeNode(access.create_route(fields))  # new: no children yet


@bp.put("/<int:id>")
@super_required
@doc(
    "Update a route",
    body=RouteUpdateForm,
    data=RouteNode,
    status=201,
    path=path_ids("id"),
    errors=[RouteNotFound, Duplicated, InvalidRouteTree],
)
def update_route(id):
    """Change a route; id, children and meta in the body are ignored."""
    form = RouteUpdateForm().validate_or_raise()
    route = access.update_route(access.get_route(id), form.present())
    return access.route_subtree(route)


@bp.delete("/<int:id>")
@super_required
@doc(
    "Delete a route and its descendants",
    data=Ids,
    status=202,
    path=path_ids("id"),
    errors=[RouteNotFound],
)
def delete_route(id):
    """Delete a route with every route below it."""
    return {"ids": access.delete_route(access.get_route(id))}
