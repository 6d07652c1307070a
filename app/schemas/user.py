"""User shapes: the caller's own profile and permissions, and users as admins see them."""

from app import models
from app.schemas.base import ADMIN, Bool, Computed, FieldGroup, Shape, Str


class Me(Shape):
    """The caller's own profile (never a secret: no password hash, no token version)."""

    model = models.User
    answers = (
        "id nickname avatar auth group_id auth_scope username email mobile wx_bound create_time",
        "update_time",
    )
    avatar = Str(attribute="avatar_url")
    auth_scope = Computed(lambda u: u.group.name if u.group else None, Str(allow_none=True))
    wx_bound = Bool()


class Permission(Shape):
    """A permission of the catalogue: module and name."""

    model = models.Permission
    answers = "id name module"


class AdminUser(Me):
    """A user as the CMS manages them (times as local text)."""

    audience = ADMIN
    answers = "active last_login_time"


class Customer(FieldGroup):
    """The customer a row belongs to (its `user`), as staff see it."""

    user_nickname = Computed(lambda row: (row.user.nickname or "") if row.user else "", Str())
