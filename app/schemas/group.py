"""Group shapes: permission groups, their grants and the permission catalogue."""

from app import models
from app.schemas.base import Int, List, MapOf, Nested, Shape
from app.schemas.user import Permission


class Group(Shape):
    """A permission group."""

    model = models.Group
    answers = "id name info"


class GroupDetail(Group):
    """A group with the permissions granted to it and how many users it has."""

    auth_list = List(Nested(Permission))
    user_count = Int()


class GroupMigration(Shape):
    """How many live users moved from one group to another."""

    src_id = Int()
    dest_id = Int()
    moved = Int()


PermissionCatalogue = MapOf(Permission, "module -> list of permissions, in catalogue order")
