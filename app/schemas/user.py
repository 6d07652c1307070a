"""User shapes: the caller's own profile and permissions, and users as admins see them."""

from app.schemas.base import ADMIN, Bool, Computed, Int, Shape, Str, Time


class Me(Shape):
    """The caller's own profile (never a secret: no password hash, no token version)."""

    id = Int()
    nickname = Str(allow_none=True)
    avatar = Str(attribute="avatar_url")
    auth = Int()
    group_id = Int(allow_none=True)
    auth_scope = Computed(lambda u: u.group.name if u.group else None, Str(allow_none=True))
    username = Str(allow_none=True)
    email = Str(allow_none=True)
    mobile = Str(allow_none=True)
    wx_bound = Bool()
    create_time = Time()
    update_time = Time()


class Permission(Shape):
    """A permission of the catalogue: module and name."""

    id = Int()
    name = Str()
    module = Str()


class AdminUser(Me):
    """A user as the CMS manages them (times as local text)."""

    audience = ADMIN
    active = Bool()
    last_login_time = Time(allow_none=True)
