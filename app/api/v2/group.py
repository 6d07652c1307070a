"""Permission groups."""

from flask import Blueprint

from app.api.resource import Resource, guarded
from app.core.auth import current_user, staff_required, super_required
from app.core.exceptions import Duplicated, GroupNotEmpty, GroupNotFound, PermissionNotFound
from app.core.permissions import no_escalation
from app.schemas.base import Items
from app.schemas.common import Id
from app.schemas.group import Group, GroupDetail, GroupMigration
from app.services import access
from app.validators.admin import GroupCreateForm, GroupMigrateForm, GroupUpdateForm

bp = Blueprint("group", __name__, url_prefix="/group")


def _detail(id):
    return access.group_detail(access.get_group(id))


def _create(data):
    group = access.create_group(current_user(), data["name"], data["info"], data["auth_ids"] or [])
    return access.group_detail(group)


def _update(id, fields):
    return access.group_detail(access.update_group(access.get_group(id), fields))


groups = Resource(bp, shape=GroupDetail, missing=[GroupNotFound])
groups.view(
    "GET",
    "/all",
    "list_groups",
    staff_required,
    "List every group",
    "List every group by id.",
    lambda: {"items": access.list_groups()},
    data=Items(Group),
)
groups.view(
    "PUT",
    "/migrate",
    "migrate_group",
    guarded(no_escalation(groups=("src_id", "dest_id")), super_required),
    "Move every user of a group to another",
    "Move all live users from one group to another.",
    lambda form: access.migrate_group(current_user(), form.src_id.data, form.dest_id.data),
    body=GroupMigrateForm,
    data=GroupMigration,
    errors=[GroupNotFound],
)
groups.get(
    "get_group",
    super_required,
    "Get a group with its permissions",
    "Show a group, its permissions and how many users it has.",
    _detail,
)
groups.create(
    "create_group",
    guarded(no_escalation(permissions="auth_ids"), super_required),
    "Create a group",
    "Create a group holding the permissions given.",
    GroupCreateForm,
    _create,
    errors=[Duplicated, PermissionNotFound],
)
groups.update(
    "update_group",
    super_required,
    "Update a group",
    "Rename a group or change its description.",
    GroupUpdateForm,
    _update,
    errors=[GroupNotFound, Duplicated],
)
groups.view(
    "DELETE",
    groups.one,
    "delete_group",
    super_required,
    "Delete a group",
    "Delete an empty group with its grants, menu and element grants.",
    lambda id: {"id": access.delete_group(access.get_group(id))},
    data=Id,
    errors=[GroupNotFound, GroupNotEmpty],
)
