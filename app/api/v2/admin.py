"""Admins: staff users managed by super admins."""

from flask import Blueprint

from app.core.auth import current_user, super_required
from app.core.docs import BOOL, ID, INT, OPT_TIME, STR, TIME, doc, nullable, obj, page_of, path_ids
from app.core.pagination import paginate
from app.core.permissions import no_escalation
from app.core.response import created, deleted, ok
from app.services import access
from app.validators.admin import (
    AdminCreateForm,
    AdminListForm,
    AdminUpdateForm,
    PasswordResetForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

ADMIN_USER = obj(
    ["id", "nickname", "username", "email", "mobile", "avatar", "auth", "group_id", "auth_scope"],
    id=INT,
    nickname=nullable(STR),
    username=nullable(STR),
    email=nullable(STR),
    mobile=nullable(STR),
    avatar=STR,
    auth=INT,
    group_id=nullable(INT),
    auth_scope=nullable(STR),
    active=BOOL,
    wx_bound=BOOL,
    last_login_time=OPT_TIME,
    create_time=TIME,
    update_time=TIME,
)


@bp.get("/list")
@super_required
@doc("List admins", query=AdminListForm, data=page_of(ADMIN_USER))
def list_admins():
    """List staff users who are not super admins."""
    form = AdminListForm().validate_or_raise()
    statement = access.admin_list_statement(form.group_id.data)
    return ok(paginate(statement, form, lambda user: user.to_admin()))


@bp.get("/<int:uid>")
@super_required
@doc("Get an admin", data=ADMIN_USER, path=path_ids("uid"))
def get_admin(uid):
    """Show one admin."""
    return ok(access.get_user(uid).to_admin())


@bp.post("")
@no_escalation(groups=("group_id",))
@super_required
@doc("Create an admin", body=AdminCreateForm, data=ADMIN_USER, status=201)
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
    return created(user.to_admin())


@bp.put("/<int:uid>")
@no_escalation(user="uid", groups=("group_id",))
@super_required
@doc("Update an admin", body=AdminUpdateForm, data=ADMIN_USER, status=201, path=path_ids("uid"))
def update_admin(uid):
    """Change an admin's profile or group."""
    form = AdminUpdateForm().validate_or_raise()
    user = access.update_admin(current_user(), access.get_user(uid), form.present())
    return created(user.to_admin())


@bp.put("/password/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc(
    "Reset an admin's password",
    body=PasswordResetForm,
    data=ADMIN_USER,
    status=201,
    path=path_ids("uid"),
)
def reset_admin_password(uid):
    """Set a new password and revoke every token of the admin."""
    form = PasswordResetForm().validate_or_raise()
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=True)
    return created(access.reset_password(current_user(), user, form.new_password.data).to_admin())


@bp.put("/active/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Enable an admin", data=ADMIN_USER, status=201, path=path_ids("uid"))
def activate_admin(uid):
    """Let a disabled admin log in again."""
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=False)
    return created(access.set_active(current_user(), user, True).to_admin())


@bp.put("/disable/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Disable an admin", data=ADMIN_USER, status=201, path=path_ids("uid"))
def disable_admin(uid):
    """Disable an admin and revoke every token."""
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=True)
    return created(access.set_active(current_user(), user, False).to_admin())


@bp.delete("/<int:uid>")
@no_escalation(user="uid")
@super_required
@doc("Delete an admin", data=ID, status=202, path=path_ids("uid"))
def delete_admin(uid):
    """Soft-delete an admin as DELETE /v1/user does."""
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=True)
    return deleted({"id": access.delete_user(current_user(), user)})
