"""Users as the CMS manages them: customers and staff, never super admins."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids
from app.core.exceptions import GroupNotFound, ProtectedUser, UserNotFound
from app.core.pagination import paginate
from app.core.permissions import no_escalation
from app.schemas.base import Page
from app.schemas.common import Id
from app.schemas.user import AdminUser
from app.services import access
from app.validators.admin import PasswordResetForm, UserGroupForm, UserListForm

bp = Blueprint("user", __name__, url_prefix="/user")

MODULE = "用户"

# An operation on one user, named by uid in the path, answering the user.
ON_USER = {
    "data": AdminUser,
    "status": 201,
    "path": path_ids("uid"),
    "errors": [UserNotFound, ProtectedUser],
}
# Moving a user to a group also names the group.
MOVE = {**ON_USER, "errors": [UserNotFound, ProtectedUser, GroupNotFound]}


def _target(uid: int):
    """The user `uid`, once the current admin may act on them."""
    user = access.get_user(uid)
    access.guard_user_target(current_user(), user)
    return user


@bp.get("/list")
@permission("查询用户列表", MODULE)
@doc("List users", query=UserListForm, data=Page(AdminUser))
def list_users():
    """List every user who is not a super admin."""
    form = UserListForm().validate_or_raise()
    statement = access.user_list_statement(form.group_id.data, form.keyword.data)
    return paginate(statement, form)


@bp.get("/<int:uid>")
@permission("查询用户列表", MODULE)
@doc("Get a user", data=AdminUser, path=path_ids("uid"), errors=[UserNotFound])
def get_user(uid):
    """Show one user."""
    return access.get_user(uid)


def _set_group(uid: int):
    form = UserGroupForm().validate_or_raise()
    user = access.set_user_group(current_user(), access.get_user(uid), form.group_id.data)
    return user


@bp.put("/<int:uid>/group")
@no_escalation(user="uid", groups=("group_id",))
@permission("更新用户分组", MODULE)
@doc("Move a user to a group", body=UserGroupForm, **MOVE)
def update_user_group(uid):
    """Put a user in a group, or (0 or null) make them a customer."""
    return _set_group(uid)


@bp.put("/<int:uid>")
@no_escalation(user="uid", groups=("group_id",))
@permission("更新用户分组", MODULE)
@doc("Move a user to a group (CMS form)", body=UserGroupForm, **MOVE)
def update_user(uid):
    """Put a user in a group, as the CMS user edit form sends it."""
    return _set_group(uid)


@bp.put("/<int:uid>/password")
@no_escalation(user="uid")
@permission("更改用户密码", MODULE)
@doc("Reset a user's password", body=PasswordResetForm, **ON_USER)
def reset_user_password(uid):
    """Set a new password and revoke every token of the user."""
    form = PasswordResetForm().validate_or_raise()
    return access.reset_password(current_user(), _target(uid), form.new_password.data)


@bp.put("/<int:uid>/active")
@no_escalation(user="uid")
@permission("更改用户状态", MODULE)
@doc("Enable a user", **ON_USER)
def activate_user(uid):
    """Let a disabled user log in again."""
    return access.set_active(current_user(), _target(uid), True)


@bp.put("/<int:uid>/disable")
@no_escalation(user="uid")
@permission("更改用户状态", MODULE)
@doc("Disable a user", **ON_USER)
def disable_user(uid):
    """Disable a user and revoke every token."""
    return access.set_active(current_user(), _target(uid), False)


@bp.delete("/<int:uid>")
@no_escalation(user="uid")
@permission("删除用户", MODULE)
@doc("Delete a user", **{**ON_USER, "data": Id, "status": 202})
def delete_user(uid):
    """Soft-delete a user as DELETE /v1/user does."""
    return {"id": access.delete_user(current_user(), _target(uid))}
