"""User: the caller's own account."""

from flask import Blueprint, g

from app.api.v1.token import TOKEN_PAIR
from app.core.auth import current_user, login_required, public
from app.core.docs import BOOL, ID, INT, STR, TIME, doc, items_of, nullable, obj
from app.core.limits import limit_register
from app.core.response import created, deleted, ok
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

ME = obj(
    ["id", "auth", "avatar", "wx_bound"],
    id=INT,
    nickname=nullable(STR),
    avatar=STR,
    auth=INT,
    group_id=nullable(INT),
    auth_scope=nullable(STR),
    username=nullable(STR),
    email=nullable(STR),
    mobile=nullable(STR),
    wx_bound=BOOL,
    create_time=TIME,
    update_time=TIME,
)
PERMISSION = obj(["id", "name", "module"], id=INT, name=STR, module=STR)


@bp.get("")
@login_required
@doc("My profile", data=ME)
def get_user():
    """Answer the caller's own profile."""
    return ok(current_user().to_me())


@bp.post("")
@public
@limit_register
@doc("Register an account", body=UserCreateForm, data=ME, status=201, auth=False)
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
    return created(user.to_me())


@bp.put("")
@login_required
@doc("Update my profile", body=UserUpdateForm, data=ME, status=201)
def update_user():
    """Change the caller's nickname, user name, email or mobile."""
    form = UserUpdateForm().validate_or_raise()
    return created(account.update_profile(current_user(), form.present()).to_me())


@bp.delete("")
@login_required
@doc("Delete my account", data=ID, status=202)
def delete_user():
    """Delete the caller's account and end every session."""
    user = current_user()
    account.delete_account(user, actor_type="customer", actor_id=user.id)
    return deleted({"id": user.id})


@bp.put("/password")
@login_required
@doc("Change my password", body=PasswordChangeForm, data=TOKEN_PAIR, status=201)
def change_password():
    """Change the caller's password; every other session ends."""
    form = PasswordChangeForm().validate_or_raise()
    pair = account.change_password(
        current_user(),
        form.value("old_password"),
        form.new_password.data,
        client_type=g.token_payload.get("type", account.EMAIL),
    )
    return created(pair, msg="Password changed")


@bp.put("/avatar")
@login_required
@doc("Set my avatar from an https URL", body=AvatarUrlForm, data=ME, status=201)
def set_avatar():
    """Point the caller's avatar at an https URL."""
    form = AvatarUrlForm().validate_or_raise()
    user = current_user()
    uploads.set_avatar_url(user, form.avatar.data)
    return created(user.to_me(), "Avatar updated")


@bp.put("/bind")
@login_required
@doc("Add a login method", body=BindForm, data=ME, status=201)
def bind_login_method():
    """Bind a user name, email, mobile or WeChat account to the caller."""
    form = BindForm().validate_or_raise()
    user = account.bind(current_user(), form.type.data, form.account.data, form.secret.data)
    return created(user.to_me())


@bp.put("/unbind")
@login_required
@doc("Remove a login method", body=UnbindForm, data=ME, status=201)
def unbind_login_method():
    """Remove a login method, keeping at least one way to log in."""
    form = UnbindForm().validate_or_raise()
    return created(account.unbind(current_user(), form.type.data).to_me())


@bp.get("/auths")
@login_required
@doc("My permissions", data=items_of(PERMISSION))
def list_user_auths():
    """List the permissions the caller holds."""
    return ok({"items": account.user_permissions(current_user())})
