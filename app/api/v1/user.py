"""User: the caller's own account."""

from flask import Blueprint, g

from app.core.auth import current_user, login_required, public
from app.core.docs import answer, doc
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


@bp.get("")
@login_required
@doc("My profile", data=Me)
def get_user():
    """Answer the caller's own profile."""
    return current_user()


@bp.post("")
@public
@limit_register
@doc(
    "Register an account",
    body=UserCreateForm,
    data=Me,
    status=201,
    errors=[Duplicated, TooManyRequests],
    auth=False,
)
def create_user():
    """Register a customer account (it does not log in)."""
    form = UserCreateForm().validate_or_raise()
    user = account.register(
        password=form.password.data,
        username=form.username.data,
        email=form.email.data,
        mobile=form.mobile.data,
        nickname=form.nickname.data,
    )
    return user


@bp.put("")
@login_required
@limit_identifier
@limit_identifier_ip
@doc(
    "Update my profile",
    body=UserUpdateForm,
    data=Me,
    status=201,
    errors=[Duplicated, AtLeastOneLoginMethod, ContentRefused, WeChatUnavailable],
)
def update_user():
    """Change the caller's nickname, user name, email or mobile."""
    form = UserUpdateForm().validate_or_raise()
    return account.update_profile(current_user(), form.present())


@bp.delete("")
@login_required
@doc("Delete my account", data=Id, status=202, errors=[ProtectedUser])
def delete_user():
    """Delete the caller's account and end every session."""
    user = current_user()
    account.delete_account(user, actor_type="customer", actor_id=user.id)
    return {"id": user.id}


@bp.put("/password")
@login_required
@doc(
    "Change my password",
    body=PasswordChangeForm,
    data=TokenPair,
    status=201,
    errors=[WrongOldPassword],
)
def change_password():
    """Change the caller's password; every other session ends."""
    form = PasswordChangeForm().validate_or_raise()
    pair = account.change_password(
        current_user(),
        form.value("old_password"),
        form.new_password.data,
        client_type=g.token_payload.get("type", account.EMAIL),
    )
    return answer(pair, msg="Password changed")


@bp.put("/avatar")
@login_required
@doc("Set my avatar from an https URL", body=AvatarUrlForm, data=Me, status=201)
def set_avatar():
    """Point the caller's avatar at an https URL."""
    form = AvatarUrlForm().validate_or_raise()
    user = current_user()
    uploads.set_avatar_url(user, form.avatar.data)
    return answer(user, "Avatar updated")


@bp.put("/bind")
@login_required
@limit_identifier
@limit_identifier_ip
@doc(
    "Add a login method",
    body=BindForm,
    data=Me,
    status=201,
    errors=[Duplicated, WeChatCodeInvalid, WeChatNotConfigured, WeChatUnavailable],
)
def bind_login_method():
    """Bind a user name, email, mobile or WeChat account to the caller."""
    form = BindForm().validate_or_raise()
    user = account.bind(current_user(), form.type.data, form.account.data, form.secret.data)
    return user


@bp.put("/unbind")
@login_required
@doc(
    "Remove a login method",
    body=UnbindForm,
    data=Me,
    status=201,
    errors=[LoginMethodNotBound, AtLeastOneLoginMethod],
)
def unbind_login_method():
    """Remove a login method, keeping at least one way to log in."""
    form = UnbindForm().validate_or_raise()
    return account.unbind(current_user(), form.type.data)


@bp.get("/auths")
@login_required
@doc("My permissions", data=Items(Permission))
def list_user_auths():
    """List the permissions the caller holds."""
    return {"items": account.user_permissions(current_user())}
