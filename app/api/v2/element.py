"""Page elements: named buttons or features the CMS can show per group."""

from flask import Blueprint

from app.api.v2.route import ELEMENT
from app.core.auth import current_user, staff_required, super_required
from app.core.docs import IDS, INT, STR, arr, doc, items_of, obj, page_of, path_id_list, path_ids
from app.core.exceptions import ParameterException
from app.core.forms import parse_id_list
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.services import access
from app.validators.admin import (
    ElementByRouteForm,
    ElementCreateForm,
    ElementDeployForm,
    ElementUpdateForm,
    GroupQueryForm,
)

bp = Blueprint("element", __name__, url_prefix="/element")

DEPLOYED = obj(["group_id", "element_ids"], group_id=INT, element_ids=arr(INT))


@bp.get("")
@staff_required
@doc("The caller's element signs", data=items_of(STR))
def list_own_signs():
    """List the signs granted to the caller's group (a super admin: all)."""
    return ok({"items": access.own_signs(current_user())})


@bp.get("/by_group")
@super_required
@doc("Elements of a group", query=GroupQueryForm, data=items_of(ELEMENT))
def list_group_elements():
    """List a group's elements (default: the caller's group)."""
    form = GroupQueryForm().validate_or_raise()
    group_id = access.requested_group_id(form.group_id.data, current_user())
    if group_id is None:
        return ok({"items": []})
    return ok({"items": [e.to_dict() for e in access.group_elements(group_id)]})


@bp.get("/by_route")
@super_required
@doc("Elements of a route", query=ElementByRouteForm, data=page_of(ELEMENT))
def list_route_elements():
    """List the elements of a route (or all), by id."""
    form = ElementByRouteForm().validate_or_raise()
    statement = access.elements_statement(form.route_id.data)
    return ok(paginate(statement, form, lambda element: element.to_dict()))


@bp.post("")
@super_required
@doc("Create an element", body=ElementCreateForm, data=ELEMENT, status=201)
def create_element():
    """Attach a new element to a route."""
    form = ElementCreateForm().validate_or_raise()
    element = access.create_element(form.name.data, form.sign.data, form.route_id.data)
    return created(element.to_dict())


@bp.put("/deploy")
@super_required
@doc("Replace a group's element grants", body=ElementDeployForm, data=DEPLOYED, status=201)
def deploy_elements():
    """Grant a group exactly the elements given."""
    form = ElementDeployForm().validate_or_raise()
    group = access.get_group(form.group_id.data)
    return created(access.deploy_elements(group, form.element_ids.data))


@bp.put("/<int:id>")
@super_required
@doc("Update an element", body=ElementUpdateForm, data=ELEMENT, status=201, path=path_ids("id"))
def update_element(id):
    """Change an element's name, sign or route."""
    form = ElementUpdateForm().validate_or_raise()
    element = access.update_element(access.get_element(id), form.present())
    return created(element.to_dict())


@bp.delete("/<ids>")
@super_required
@doc("Delete elements", data=IDS, status=202, path=path_id_list("ids"))
def delete_elements(ids):
    """Delete one element or a comma list, with their grants."""
    try:
        element_ids = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}") from None
    return deleted({"ids": access.delete_elements(element_ids)})
