"""Permissions and the grants of groups."""

from flask import Blueprint

from app.core.auth import current_user, super_required
from app.core.docs import doc
from app.core.exceptions import GroupNotFound, PermissionNotFound
from app.core.permissions import no_escalation
from app.schemas.base import Items
from app.schemas.common import Id
from app.schemas.group import GroupDetail, PermissionCatalogue
from app.schemas.user import Permission
from app.services import access
from app.validators.admin import AuthGrantForm, GroupQueryForm, GroupRequiredForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/all")
@super_required
@doc("The permission catalogue by module", data=PermissionCatalogue)
def list_permissions():
    """List every live permission grouped by module."""
    return access.permission_catalogue()


@bp.get("/by_group")
@super_required
@doc(
    "Permissions of a group",
    query=GroupQueryForm,
    data=Items(Permission),
    errors=[GroupNotFound],
)
def list_group_permissions():
    """List a group's permissions (default: the caller's group)."""
    form = GroupQueryForm().validate_or_raise()
    group_id = access.requested_group_id(form.group_id.data, current_user())
    if group_id is None:
        return {"items": []}
    return {"items": access.group_permissions(group_id)}


@bp.put("/append")
@no_escalation(groups=("group_id",), permissions="auth_ids")
@super_required
@doc(
    "Grant permissions to a group",
    body=AuthGrantForm,
    data=GroupDetail,
    status=201,
    errors=[GroupNotFound, PermissionNotFound],
)
def append_permissions():
    """Grant permissions; ids already granted are skipped."""
    form = AuthGrantForm().validate_or_raise()
    group = access.get_group(form.group_id.data)
    access.grant_permissions(current_user(), group, form.auth_ids.data)
    return access.group_detail(group)


@bp.put("/remove")
@no_escalation(groups=("group_id",))
@super_required
@doc(
    "Take permissions from a group",
    body=AuthGrantForm,
    data=GroupDetail,
    status=202,
    errors=[GroupNotFound, PermissionNotFound],
)
def remove_permissions():
    """Remove grants; ids not granted are skipped."""
    form = AuthGrantForm().validate_or_raise()
    group = access.get_group(form.group_id.data)
    access.revoke_permissions(current_user(), group, form.auth_ids.data)
    return access.group_detail(group)


@bp.delete("/by_group")
@no_escalation(groups=("group_id",))
@super_required
@doc(
    "Remove every grant of a group",
    query=GroupRequiredForm,
    data=Id,
    status=202,
    errors=[GroupNotFound],
)
def delete_group_permissions():
    """Take every permission from a group."""
    form = GroupRequiredForm().validate_or_raise()
    return {
        "id": access.revoke_all_permissions(current_user(), access.get_group(form.group_id.data))
    }
