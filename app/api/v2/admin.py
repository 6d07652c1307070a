"""Admins: staff users managed by super admins."""

from flask import Blueprint

from app.api.resource import Resource, guarded, values_of
from app.core.auth import current_user, super_required
from app.core.exceptions import (
    AtLeastOneLoginMethod,
    Duplicated,
    GroupNotFound,
    ProtectedUser,
    UserNotFound,
)
from app.core.pagination import paginate
from app.core.permissions import no_escalation
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

ON_ADMIN = [UserNotFound, ProtectedUser]
CREATE_FIELDS = ("nickname", "username", "email", "mobile", "password", "group_id")


def _target(uid: int, *, self_forbidden: bool = True):
    """The admin `uid`, once the current super admin may act on them."""
    user = access.get_user(uid)
    access.guard_admin_target(current_user(), user, self_forbidden=self_forbidden)
    return user


def _changing(**escalation):
    """The access of a change to an admin: a super admin, marked as `no_escalation`."""
    return guarded(no_escalation(**escalation), super_required)


admins = Resource(bp, shape=AdminUser, missing=[UserNotFound], key="uid")
admins.list(
    "list_admins",
    super_required,
    "List admins",
    "List staff users who are not super admins.",
    lambda form: paginate(access.admin_list_statement(form.group_id.data), form),
    form=AdminListForm,
)
admins.get("get_admin", super_required, "Get an admin", "Show one admin.", access.get_user)
admins.view(
    "POST",
    "",
    "create_admin",
    _changing(groups=("group_id",)),
    "Create an admin",
    "Create a staff user in a group.",
    lambda form: access.create_admin(current_user(), **values_of(form, CREATE_FIELDS)),
    body=AdminCreateForm,
    errors=[GroupNotFound, Duplicated],
)
admins.view(
    "PUT",
    admins.one,
    "update_admin",
    _changing(user="uid", groups=("group_id",)),
    "Update an admin",
    "Change an admin's profile or group.",
    lambda uid, form: access.update_admin(current_user(), access.get_user(uid), form.present()),
    body=AdminUpdateForm,
    errors=[UserNotFound, ProtectedUser, GroupNotFound, Duplicated, AtLeastOneLoginMethod],
)
admins.view(
    "PUT",
    "/password/<int:uid>",
    "reset_admin_password",
    _changing(user="uid"),
    "Reset an admin's password",
    "Set a new password and revoke every token of the admin.",
    lambda uid, form: access.reset_password(current_user(), _target(uid), form.new_password.data),
    body=PasswordResetForm,
    errors=ON_ADMIN,
)
admins.view(
    "PUT",
    "/active/<int:uid>",
    "activate_admin",
    _changing(user="uid"),
    "Enable an admin",
    "Let a disabled admin log in again.",
    lambda uid: access.set_active(current_user(), _target(uid, self_forbidden=False), True),
    errors=ON_ADMIN,
)
admins.view(
    "PUT",
    "/disable/<int:uid>",
    "disable_admin",
    _changing(user="uid"),
    "Disable an admin",
    "Disable an admin and revoke every token.",
    lambda uid: access.set_active(current_user(), _target(uid), False),
    errors=ON_ADMIN,
)
admins.view(
    "DELETE",
    admins.one,
    "delete_admin",
    _changing(user="uid"),
    "Delete an admin",
    "Soft-delete an admin as DELETE /v1/user does.",
    lambda uid: {"id": access.delete_user(current_user(), _target(uid))},
    data=Id,
    errors=ON_ADMIN,
)
