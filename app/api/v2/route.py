"""The CMS route tree (sidebar and pages)."""

from flask import Blueprint

from app.core.auth import staff_required, super_required
from app.core.docs import BOOL, IDS, INT, STR, arr, doc, nullable, obj, path_ids
from app.core.forms import json_body
from app.core.response import created, deleted, ok
from app.services import access
from app.validators.admin import RouteCreateForm, RouteUpdateForm

bp = Blueprint("route", __name__, url_prefix="/route")

ELEMENT = obj(["id", "name", "sign", "route_id"], id=INT, name=STR, sign=STR, route_id=INT)
ROUTE_NODE = obj(
    ["id", "parent_id", "order", "name", "path", "component", "hidden", "meta", "children"],
    id=INT,
    parent_id=INT,
    order=INT,
    name=STR,
    path=STR,
    component=nullable(STR),
    hidden=BOOL,
    meta=obj(["title", "icon"], title=STR, icon=STR),
    children={"type": "array", "items": {"type": "object"}, "description": "RouteNode"},
)
ROUTE_TREE = arr(ROUTE_NODE)
NODE_WITH_ELEMENTS = {
    **ROUTE_NODE,
    "properties": {**ROUTE_NODE["properties"], "elements": arr(ELEMENT)},
}
TREE_BODY = {
    "type": "array",
    "items": {"type": "object", "properties": {"id": INT, "children": {"type": "array"}}},
}


@bp.get("/tree")
@staff_required
@doc("The whole route tree", data=ROUTE_TREE)
def get_route_tree():
    """Show every route as a tree."""
    return ok(access.full_tree())


@bp.get("/tree/with_element")
@super_required
@doc("The whole route tree with page elements", data=arr(NODE_WITH_ELEMENTS))
def get_route_tree_with_elements():
    """Show every route as a tree, each with its page elements."""
    return ok(access.tree_with_elements())


@bp.put("/tree")
@super_required
@doc("Re-arrange the route tree", raw_body=TREE_BODY, data=ROUTE_TREE, status=201)
def update_route_tree():
    """Re-parent and re-order routes as the nested array places them."""
    return created(access.save_tree(json_body()))


@bp.get("/<int:id>")
@super_required
@doc("Get a route with its subtree", data=ROUTE_NODE, path=path_ids("id"))
def get_route(id):
    """Show one route and everything below it."""
    return ok(access.route_subtree(access.get_route(id)))


@bp.post("")
@super_required
@doc("Create a route", body=RouteCreateForm, data=ROUTE_NODE, status=201)
def create_route():
    """Add a route to the tree."""
    form = RouteCreateForm().validate_or_raise()
    fields = form.present()
    fields.setdefault("parent_id", 0)
    return created(access.create_route(fields).to_node())


@bp.put("/<int:id>")
@super_required
@doc("Update a route", body=RouteUpdateForm, data=ROUTE_NODE, status=201, path=path_ids("id"))
def update_route(id):
    """Change a route; id, children and meta in the body are ignored."""
    form = RouteUpdateForm().validate_or_raise()
    route = access.update_route(access.get_route(id), form.present())
    return created(access.route_subtree(route))


@bp.delete("/<int:id>")
@super_required
@doc("Delete a route and its descendants", data=IDS, status=202, path=path_ids("id"))
def delete_route(id):
    """Delete a route with every route below it."""
    return deleted({"ids": access.delete_route(access.get_route(id))})
