"""Users as the CMS manages them: customers and staff, never super admins."""

from flask import Blueprint

from app.api.resource import Resource, guarded
from app.core.auth import current_user, permission
from app.core.exceptions import GroupNotFound, ProtectedUser, UserNotFound
from app.core.pagination import paginate
from app.core.permissions import no_escalation
from app.schemas.common import Id
from app.schemas.user import AdminUser
from app.services import access
from app.validators.admin import PasswordResetForm, UserGroupForm, UserListForm

bp = Blueprint("user", __name__, url_prefix="/user")

MODULE = "用户"

ON_USER = [UserNotFound, ProtectedUser]
# Moving a user to a group also names the group.
MOVE = [UserNotFound, ProtectedUser, GroupNotFound]


def _target(uid: int):
    """The user `uid`, once the current admin may act on them."""
    user = access.get_user(uid)
    access.guard_user_target(current_user(), user)
    return user


def _changing(name: str, **escalation):
    """The access of a change to a user: the permission `name`, marked as `no_escalation`."""
    return guarded(no_escalation(user="uid", **escalation), permission(name, MODULE))


def _set_group(uid: int, form):
    return access.set_user_group(current_user(), access.get_user(uid), form.group_id.data)


users = Resource(bp, MODULE, shape=AdminUser, missing=[UserNotFound], key="uid")
users.list(
    "list_users",
    "查询用户列表",
    "List users",
    "List every user who is not a super admin.",
    lambda form: paginate(access.user_list_statement(form.group_id.data, form.keyword.data), form),
    form=UserListForm,
)
users.get("get_user", "查询用户列表", "Get a user", "Show one user.", access.get_user)
users.view(
    "PUT",
    "/<int:uid>/group",
    "update_user_group",
    _changing("更新用户分组", groups=("group_id",)),
    "Move a user to a group",
    "Put a user in a group, or (0 or null) make them a customer.",
    _set_group,
    body=UserGroupForm,
    errors=MOVE,
)
users.view(
    "PUT",
    users.one,
    "update_user",
    _changing("更新用户分组", groups=("group_id",)),
    "Move a user to a group (CMS form)",
    "Put a user in a group, as the CMS user edit form sends it.",
    _set_group,
    body=UserGroupForm,
    errors=MOVE,
)
users.view(
    "PUT",
    "/<int:uid>/password",
    "reset_user_password",
    _changing("更改用户密码"),
    "Reset a user's password",
    "Set a new password and revoke every token of the user.",
    lambda uid, form: access.reset_password(current_user(), _target(uid), form.new_password.data),
    body=PasswordResetForm,
    errors=ON_USER,
)
users.view(
    "PUT",
    "/<int:uid>/active",
    "activate_user",
    _changing("更改用户状态"),
    "Enable a user",
    "Let a disabled user log in again.",
    lambda uid: access.set_active(current_user(), _target(uid), True),
    errors=ON_USER,
)
users.view(
    "PUT",
    "/<int:uid>/disable",
    "disable_user",
    _changing("更改用户状态"),
    "Disable a user",
    "Disable a user and revoke every token.",
    lambda uid: access.set_active(current_user(), _target(uid), False),
    errors=ON_USER,
)
users.view(
    "DELETE",
    users.one,
    "delete_user",
    _changing("删除用户"),
    "Delete a user",
    "Soft-delete a user as DELETE /v1/user does.",
    lambda uid: {"id": access.delete_user(current_user(), _target(uid))},
    data=Id,
    errors=ON_USER,
)
