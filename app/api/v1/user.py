"""User: the caller's own account."""

from flask import Blueprint, g

from app.api.resource import Resource, guarded, values_of
from app.core.auth import current_user, login_required, public
from app.core.docs import answer
from app.core.exceptions import (
    AtLeastOneLoginMethod,
    ContentRefused,
    Duplicated,
    LoginMethodNotBound,
    ProtectedUser,
    TooManyRequests,
    WeChatCodeInvalid,
    WeChatNotConfigured,
    WeChatUnavailable,
    WrongOldPassword,
)
from app.core.limits import limit_identifier, limit_identifier_ip, limit_register
from app.schemas.base import Items
from app.schemas.common import Id
from app.schemas.token import TokenPair
from app.schemas.user import Me, Permission
from app.services import account, uploads
from app.validators.user import (
    AvatarUrlForm,
    BindForm,
    PasswordChangeForm,
    UnbindForm,
    UserCreateForm,
    UserUpdateForm,
)

bp = Blueprint("user", __name__, url_prefix="/user")


REGISTER_FIELDS = ("password", "username", "email", "mobile", "nickname")
# A change of a login identifier is rate-limited per identifier and per IP.
CHANGING_IDENTIFIER = guarded(login_required, limit_identifier, limit_identifier_ip)


def _delete():
    user = current_user()
    account.delete_account(user, actor_type="customer", actor_id=user.id)
    return {"id": user.id}


def _change_password(form):
    pair = account.change_password(
        current_user(),
        form.value("old_password"),
        form.new_password.data,
        client_type=g.token_payload.get("type", account.EMAIL),
    )
    return answer(pair, msg="Password changed")


def _set_avatar(form):
    user = current_user()
    uploads.set_avatar_url(user, form.avatar.data)
    return answer(user, "Avatar updated")


me = Resource(bp, shape=Me)
me.view(
    "GET",
    "",
    "get_user",
    login_required,
    "My profile",
    "Answer the caller's own profile.",
    current_user,
)
me.view(
    "POST",
    "",
    "create_user",
    guarded(public, limit_register),
    "Register an account",
    "Register a customer account (it does not log in).",
    lambda form: account.register(**values_of(form, REGISTER_FIELDS)),
    body=UserCreateForm,
    errors=[Duplicated, TooManyRequests],
    auth=False,
)
me.view(
    "PUT",
    "",
    "update_user",
    CHANGING_IDENTIFIER,
    "Update my profile",
    "Change the caller's nickname, user name, email or mobile.",
    lambda form: account.update_profile(current_user(), form.present()),
    body=UserUpdateForm,
    errors=[Duplicated, AtLeastOneLoginMethod, ContentRefused, WeChatUnavailable],
)
me.view(
    "DELETE",
    "",
    "delete_user",
    login_required,
    "Delete my account",
    "Delete the caller's account and end every session.",
    _delete,
    data=Id,
    errors=[ProtectedUser],
)
me.view(
    "PUT",
    "/password",
    "change_password",
    login_required,
    "Change my password",
    "Change the caller's password; every other session ends.",
    _change_password,
    body=PasswordChangeForm,
    data=TokenPair,
    errors=[WrongOldPassword],
)
me.view(
    "PUT",
    "/avatar",
    "set_avatar",
    login_required,
    "Set my avatar from an https URL",
    "Point the caller's avatar at an https URL.",
    _set_avatar,
    body=AvatarUrlForm,
)
me.view(
    "PUT",
    "/bind",
    "bind_login_method",
    CHANGING_IDENTIFIER,
    "Add a login method",
    "Bind a user name, email, mobile or WeChat account to the caller.",
    lambda form: account.bind(current_user(), form.type.data, form.account.data, form.secret.data),
    body=BindForm,
    errors=[Duplicated, WeChatCodeInvalid, WeChatNotConfigured, WeChatUnavailable],
)
me.view(
    "PUT",
    "/unbind",
    "unbind_login_method",
    login_required,
    "Remove a login method",
    "Remove a login method, keeping at least one way to log in.",
    lambda form: account.unbind(current_user(), form.type.data),
    body=UnbindForm,
    errors=[LoginMethodNotBound, AtLeastOneLoginMethod],
)
me.view(
    "GET",
    "/auths",
    "list_user_auths",
    login_required,
    "My permissions",
    "List the permissions the caller holds.",
    lambda: {"items": account.user_permissions(current_user())},
    data=Items(Permission),
)
