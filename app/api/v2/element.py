"""Page elements: named buttons or features the CMS can show per group."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user, staff_required, super_required
from app.core.exceptions import (
    Duplicated,
    ElementNotFound,
    GroupNotFound,
    RouteNotFound,
)
from app.core.pagination import paginate
from app.schemas.base import Items, Page
from app.schemas.element import Element, ElementDeployment, Signs
from app.services import access
from app.validators.admin import (
    ElementByRouteForm,
    ElementCreateForm,
    ElementDeployForm,
    ElementUpdateForm,
    GroupQueryForm,
)

bp = Blueprint("element", __name__, url_prefix="/element")

elements = Resource(bp, "", shape=Element, missing=[ElementNotFound])


def _group_elements(form):
    group_id = access.requested_group_id(form.group_id.data, current_user())
    return {"items": [] if group_id is None else access.group_elements(group_id)}


elements.view(
    "GET",
    "",
    "list_own_signs",
    staff_required,
    "The caller's element signs",
    "List the signs granted to the caller's group (a super admin: all).",
    lambda: {"items": access.own_signs(current_user())},
    data=Signs,
)
elements.view(
    "GET",
    "/by_group",
    "list_group_elements",
    super_required,
    "Elements of a group",
    "List a group's elements (default: the caller's group).",
    _group_elements,
    query=GroupQueryForm,
    data=Items(Element),
    errors=[GroupNotFound],
)
elements.view(
    "GET",
    "/by_route",
    "list_route_elements",
    super_required,
    "Elements of a route",
    "List the elements of a route (or all), by id.",
    lambda form: paginate(access.elements_statement(form.route_id.data), form),
    query=ElementByRouteForm,
    data=Page(Element),
    errors=[RouteNotFound],
)
elements.create(
    "create_element",
    super_required,
    "Create an element",
    "Attach a new element to a route.",
    ElementCreateForm,
    lambda data: access.create_element(data["name"], data["sign"], data["route_id"]),
    errors=[RouteNotFound, Duplicated],
)


elements.view(
    "PUT",
    "/deploy",
    "deploy_elements",
    super_required,
    "Replace a group's element grants",
    "Grant a group exactly the elements given.",
    lambda form: access.deploy_elements(
        access.get_group(form.group_id.data), form.element_ids.data
    ),
    body=ElementDeployForm,
    data=ElementDeployment,
    errors=[GroupNotFound, ElementNotFound],
)
elements.update(
    "update_element",
    super_required,
    "Update an element",
    "Change an element's name, sign or route.",
    ElementUpdateForm,
    lambda id, fields: access.update_element(access.get_element(id), fields),
    errors=[ElementNotFound, RouteNotFound, Duplicated],
)
elements.delete_many(
    "delete_elements",
    super_required,
    "Delete elements",
    "Delete one element or a comma list, with their grants.",
    access.delete_elements,
)
