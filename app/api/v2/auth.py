"""Permissions and the grants of groups."""

from flask import Blueprint

from app.api.resource import Resource, guarded
from app.core.auth import current_user, super_required
from app.core.exceptions import GroupNotFound, PermissionNotFound
from app.core.permissions import no_escalation
from app.schemas.base import Items
from app.schemas.common import Id
from app.schemas.group import GroupDetail, PermissionCatalogue
from app.schemas.user import Permission
from app.services import access
from app.validators.admin import AuthGrantForm, GroupQueryForm, GroupRequiredForm

bp = Blueprint("auth", __name__, url_prefix="/auth")

GRANTS = [GroupNotFound, PermissionNotFound]


def _group_permissions(form):
    group_id = access.requested_group_id(form.group_id.data, current_user())
    if group_id is None:
        return {"items": []}
    return {"items": access.group_permissions(group_id)}


def _changed(change):
    """A grant change of the form's group, answered with the group."""

    def run(form):
        group = access.get_group(form.group_id.data)
        change(current_user(), group, form.auth_ids.data)
        return access.group_detail(group)

    return run


def _revoke_all(form):
    group = access.get_group(form.group_id.data)
    return {"id": access.revoke_all_permissions(current_user(), group)}


grants = Resource(bp, shape=GroupDetail, missing=[GroupNotFound])
grants.view(
    "GET",
    "/all",
    "list_permissions",
    super_required,
    "The permission catalogue by module",
    "List every live permission grouped by module.",
    access.permission_catalogue,
    data=PermissionCatalogue,
)
grants.view(
    "GET",
    "/by_group",
    "list_group_permissions",
    super_required,
    "Permissions of a group",
    "List a group's permissions (default: the caller's group).",
    _group_permissions,
    query=GroupQueryForm,
    data=Items(Permission),
    errors=[GroupNotFound],
)
grants.view(
    "PUT",
    "/append",
    "append_permissions",
    guarded(no_escalation(groups=("group_id",), permissions="auth_ids"), super_required),
    "Grant permissions to a group",
    "Grant permissions; ids already granted are skipped.",
    _changed(access.grant_permissions),
    body=AuthGrantForm,
    data=GroupDetail,
    errors=GRANTS,
)
grants.view(
    "PUT",
    "/remove",
    "remove_permissions",
    guarded(no_escalation(groups=("group_id",)), super_required),
    "Take permissions from a group",
    "Remove grants; ids not granted are skipped.",
    _changed(access.revoke_permissions),
    body=AuthGrantForm,
    data=GroupDetail,
    status=202,
    errors=GRANTS,
)
grants.view(
    "DELETE",
    "/by_group",
    "delete_group_permissions",
    guarded(no_escalation(groups=("group_id",)), super_required),
    "Remove every grant of a group",
    "Take every permission from a group.",
    _revoke_all,
    query=GroupRequiredForm,
    data=Id,
    errors=[GroupNotFound],
)
