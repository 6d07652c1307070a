"""Page elements: named buttons or features the CMS can show per group."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user, staff_required, super_required
from app.core.docs import doc
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


@bp.get("")
@staff_required
@doc("The caller's element signs", data=Signs)
def list_own_signs():
    """List the signs granted to the caller's group (a super admin: all)."""
    return {"items": access.own_signs(current_user())}


@bp.get("/by_group")
@super_required
@doc(
    "Elements of a group",
    query=GroupQueryForm,
    data=Items(Element),
    errors=[GroupNotFound],
)
def list_group_elements():
    """List a group's elements (default: the caller's group)."""
    form = GroupQueryForm().validate_or_raise()
    group_id = access.requested_group_id(form.group_id.data, current_user())
    if group_id is None:
        return {"items": []}
    return {"items": access.group_elements(group_id)}


@bp.get("/by_route")
@super_required
@doc(
    "Elements of a route",
    query=ElementByRouteForm,
    data=Page(Element),
    errors=[RouteNotFound],
)
def list_route_elements():
    """List the elements of a route (or all), by id."""
    form = ElementByRouteForm().validate_or_raise()
    statement = access.elements_statement(form.route_id.data)
    return paginate(statement, form)


elements.create(
    "create_element",
    super_required,
    "Create an element",
    "Attach a new element to a route.",
    ElementCreateForm,
    lambda data: access.create_element(data["name"], data["sign"], data["route_id"]),
    errors=[RouteNotFound, Duplicated],
)


@bp.put("/deploy")
@super_required
@doc(
    "Replace a group's element grants",
    body=ElementDeployForm,
    data=ElementDeployment,
    status=201,
    errors=[GroupNotFound, ElementNotFound],
)
def deploy_elements():
    """Grant a group exactly the elements given."""
    form = ElementDeployForm().validate_or_raise()
    group = access.get_group(form.group_id.data)
    return access.deploy_elements(group, form.element_ids.data)


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
