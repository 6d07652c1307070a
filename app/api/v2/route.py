"""The CMS route tree (sidebar and pages)."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import staff_required, super_required
from app.core.docs import INT
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
TREE = ArrayOf(RouteNode)


def _created(form):
    fields = form.present()
    fields.setdefault("parent_id", 0)
    return TreeNode(access.create_route(fields))  # new: no children yet


routes = Resource(bp, "", shape=RouteNode, missing=[RouteNotFound])
routes.view(
    "GET",
    "/tree",
    "get_route_tree",
    staff_required,
    "The whole route tree",
    "Show every route as a tree.",
    access.full_tree,
    data=TREE,
)
routes.view(
    "GET",
    "/tree/with_element",
    "get_route_tree_with_elements",
    super_required,
    "The whole route tree with page elements",
    "Show every route as a tree, each with its page elements.",
    access.tree_with_elements,
    data=ArrayOf(RouteNodeWithElements),
)
routes.view(
    "PUT",
    "/tree",
    "update_route_tree",
    super_required,
    "Re-arrange the route tree",
    "Re-parent and re-order routes as the nested array places them.",
    lambda: access.save_tree(json_body()),
    raw_body=TREE_BODY,
    data=TREE,
    errors=[RouteNotFound, InvalidRouteTree],
)
routes.get(
    "get_route",
    super_required,
    "Get a route with its subtree",
    "Show one route and everything below it.",
    lambda id: access.route_subtree(access.get_route(id)),
)
routes.view(
    "POST",
    "",
    "create_route",
    super_required,
    "Create a route",
    "Add a route to the tree.",
    _created,
    body=RouteCreateForm,
    data=RouteNode,
    errors=[RouteNotFound, Duplicated],
)
routes.update(
    "update_route",
    super_required,
    "Update a route",
    "Change a route; id, children and meta in the body are ignored.",
    RouteUpdateForm,
    lambda id, fields: access.route_subtree(access.update_route(access.get_route(id), fields)),
    errors=[RouteNotFound, Duplicated, InvalidRouteTree],
)
routes.view(
    "DELETE",
    "/<int:id>",
    "delete_route",
    super_required,
    "Delete a route and its descendants",
    "Delete a route with every route below it.",
    lambda id: {"ids": access.delete_route(access.get_route(id))},
    data=Ids,
    errors=[RouteNotFound],
)
