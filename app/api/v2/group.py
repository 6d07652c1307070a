"""Permission groups."""

from flask import Blueprint

from app.core.auth import current_user, staff_required, super_required
from app.core.docs import doc, path_ids
from app.core.exceptions import Duplicated, GroupNotEmpty, GroupNotFound, PermissionNotFound
from app.core.permissions import no_escalation
from app.schemas.base import Items
from app.schemas.common import Id
from app.schemas.group import Group, GroupDetail, GroupMigration
from app.services import access
from app.validators.admin import GroupCreateForm, GroupMigrateForm, GroupUpdateForm

bp = Blueprint("group", __name__, url_prefix="/group")


@bp.get("/all")
@staff_required
@doc("List every group", data=Items(Group))
def list_groups():
    """List every group by id."""
    return {"items": access.list_groups()}


@bp.put("/migrate")
@no_escalation(groups=("src_id", "dest_id"))
@super_required
@doc(
    "Move every user of a group to another",
    body=GroupMigrateForm,
    data=GroupMigration,
    status=201,
    errors=[GroupNotFound],
)
def migrate_group():
    """Move all live users from one group to another."""
    form = GroupMigrateForm().validate_or_raise()
    return access.migrate_group(current_user(), form.src_id.data, form.dest_id.data)


@bp.get("/<int:id>")
@super_required
@doc(
    "Get a group with its permissions",
    data=GroupDetail,
    path=path_ids("id"),
    errors=[GroupNotFound],
)
def get_group(id):
    """Show a group, its permissions and how many users it has."""
    return access.group_detail(access.get_group(id))


@bp.post("")
@no_escalation(permissions="auth_ids")
@super_required
@doc(
    "Create a group",
    body=GroupCreateForm,
    data=GroupDetail,
    status=201,
    errors=[Duplicated, PermissionNotFound],
)
def create_group():
    """Create a group holding the permissions given."""
    form = GroupCreateForm().validate_or_raise()
    group = access.create_group(
        current_user(), form.name.data, form.info.data, form.auth_ids.data or []
    )
    return access.group_detail(group)


@bp.put("/<int:id>")
@super_required
@doc(
    "Update a group",
    body=GroupUpdateForm,
    data=GroupDetail,
    status=201,
    path=path_ids("id"),
    errors=[GroupNotFound, Duplicated],
)
def update_group(id):
    """Rename a group or change its description."""
    form = GroupUpdateForm().validate_or_raise()
    group = access.update_group(access.get_group(id), form.present())
    return access.group_detail(group)


@bp.delete("/<int:id>")
@super_required
@doc(
    "Delete a group",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[GroupNotFound, GroupNotEmpty],
)
def delete_group(id):
    """Delete an empty group with its grants, menu and element grants."""
    return {"id": access.delete_group(access.get_group(id))}
