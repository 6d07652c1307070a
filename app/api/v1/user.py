"""User: the caller's own account."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import BOOL, INT, STR, TIME, doc, nullable, obj

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


@bp.get("")
@login_required
@doc("My profile", data=ME)
def get_user():
    """Answer the caller's own profile."""
    from app.core.response import ok

    return ok(current_user().to_me())
