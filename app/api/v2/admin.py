"""Admins: staff users managed by super admins."""

from flask import Blueprint

from app.core.auth import current_user, super_required
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    AtLeastOneLoginMethod,
    Duplicated,
    GroupNotFound,
    ProtectedUser,
    UserNotFound,
)
from app.core.pagination import paginate
from app.core.permissions import no_escalation
from app.schemas.base import Page
from app.schemas.common import Id
from app.schemas.user import AdminUser
from app.services import access
from app.validators.admin import (
    AdminCreateForm,
    AdminListForm,
    AdminUpdateForm,
    PasswordResetForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

# An operation on one admin, named by uid in the path, answering the admin.
ON_ADMIN = {
    "data": AdminUser,
    "status": 201,
    "path": path_ids("uid"),
    "errors": [UserNotFound, ProtectedUser],
}


def _target(uid: int, *, self_forbidden: bool = True):
    """The admin `uid`, once the current super admin may act on them."""
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=self_forbidden)
    return user


@bp.get("/list")
@super_required
@doc("List admins", query=AdminListForm, data=Page(AdminUser))
def list_admins():
    """List staff users who are not super admins."""
    form = AdminListForm().validate_or_raise()
    statement = access.admin_list_statement(form.group_id.data)
    return paginate(statement, form)


@bp.get("/<int:uid>")
@super_required
@doc("Get an admin", data=AdminUser, path=path_ids("uid"), errors=[UserNotFound])
def get_admin(uid):
    """Show one admin."""
    return access.get_user(uid)


@bp.post("")
@no_escalation(groups=("group_id",))
@super_required
@doc(
    "Create an admin",
    body=AdminCreateForm,
    data=AdminUser,
    status=201,
    errors=[GroupNotFound, Duplicated],
)
def create_admin():
    """Create a staff user in a group."""
    form = AdminCreateForm().validate_or_raise()
    user = access.create_admin(
        current_user(),
        nickname=form.nickname.data,
        username=form.username.data,
        email=form.email.data,
        mobile=form.mobile.data,
        password=form.password.data,
        group_id=form.group_id.data,
    )
    return user


@bp.put("/<int:uid>")
@no_escalation(user="uid", groups=("group_id",))
@super_required
@doc(
    "Update an admin",
    body=AdminUpdateForm,
    data=AdminUser,
    status=201,
    path=path_ids("uid"),
    errors=[UserNotFound, ProtectedUser, GroupNotFound, Duplicated, AtLeastOneLoginMethod],
)
def update_admin(uid):
    """Change an admin's profile or group."""
    form = AdminUpdateForm().validate_or_raise()
    user = access.update_admin(current_user(), access.get_user(uid), form.present())
    return user


@bp.put("/password/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Reset an admin's password", body=PasswordResetForm, **ON_ADMIN)
def reset_admin_password(uid):
    """Set a new password and revoke every token of the admin."""
    form = PasswordResetForm().validate_or_raise()
    return access.reset_password(current_user(), _target(uid), form.new_password.data)


@bp.put("/active/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Enable an admin", **ON_ADMIN)
def activate_admin(uid):
    """Let a disabled admin log in again."""
    return access.set_active(current_user(), _target(uid, self_forbidden=False), True)


@bp.put("/disable/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Disable an admin", **ON_ADMIN)
def disable_admin(uid):
    """Disable an admin and revoke every token."""
    return access.set_active(current_user(), _target(uid), False)


@bp.delete("/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Delete an admin", **{**ON_ADMIN, "data": Id, "status": 202})
def delete_admin(uid):
    """Soft-delete an admin as DELETE /v1/user does."""
    return {"id": access.delete_user(current_user(), _target(uid))}
