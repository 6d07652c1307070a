"""Permission groups."""

from flask import Blueprint

from app.core.auth import current_user, staff_required, super_required
from app.core.docs import ID, INT, STR, arr, doc, items_of, obj, path_ids
from app.core.permissions import no_escalation
from app.core.response import created, deleted, ok
from app.services import access
from app.validators.admin import GroupCreateForm, GroupMigrateForm, GroupUpdateForm

bp = Blueprint("group", __name__, url_prefix="/group")

GROUP = obj(["id", "name", "info"], id=INT, name=STR, info=STR)
PERMISSION = obj(["id", "name", "module"], id=INT, name=STR, module=STR)
GROUP_DETAIL = obj(
    ["id", "name", "info", "auth_list", "user_count"],
    id=INT,
    name=STR,
    info=STR,
    auth_list=arr(PERMISSION),
    user_count=INT,
)
MIGRATED = obj(["src_id", "dest_id", "moved"], src_id=INT, dest_id=INT, moved=INT)


@bp.get("/all")
@staff_required
@doc("List every group", data=items_of(GROUP))
def list_groups():
    """List every group by id."""
    return ok({"items": [group.to_dict() for group in access.list_groups()]})


@bp.put("/migrate")
@no_escalation(groups=("src_id", "dest_id"))
@super_required
@doc("Move every user of a group to another", body=GroupMigrateForm, data=MIGRATED, status=201)
def migrate_group():
    """Move all live users from one group to another."""
    form = GroupMigrateForm().validate_or_raise()
    return created(access.migrate_group(current_user(), form.src_id.data, form.dest_id.data))


@bp.get("/<int:id>")
@super_required
@doc("Get a group with its permissions", data=GROUP_DETAIL, path=path_ids("id"))
def get_group(id):
    """Show a group, its permissions and how many users it has."""
    return ok(access.group_detail(access.get_group(id)))


@bp.post("")
@no_escalation(permissions="auth_ids")
@super_required
@doc("Create a group", body=GroupCreateForm, data=GROUP_DETAIL, status=201)
def create_group():
    """Create a group holding the permissions given."""
    form = GroupCreateForm().validate_or_raise()
    group = access.create_group(
        current_user(), form.name.data, form.info.data, form.auth_ids.data or []
    )
    return created(access.group_detail(group))


@bp.put("/<int:id>")
@super_required
@doc("Update a group", body=GroupUpdateForm, data=GROUP_DETAIL, status=201, path=path_ids("id"))
def update_group(id):
    """Rename a group or change its description."""
    form = GroupUpdateForm().validate_or_raise()
    group = access.update_group(access.get_group(id), form.present())
    return created(access.group_detail(group))


@bp.delete("/<int:id>")
@super_required
@doc("Delete a group", data=ID, status=202, path=path_ids("id"))
def delete_group(id):
    """Delete an empty group with its grants, menu and element grants."""
    return deleted({"id": access.delete_group(access.get_group(id))})
