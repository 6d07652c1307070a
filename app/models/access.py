"""Access control: groups, the permission catalogue, grants, the CMS route tree and elements."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreateTimeMixin, TimestampMixin


class Group(TimestampMixin, db.Model):
    __tablename__ = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    info: Mapped[str] = mapped_column(String(255), default="", server_default="")


class Permission(TimestampMixin, db.Model):
    __tablename__ = "permission"
    __table_args__ = (UniqueConstraint("module", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(60))
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Auth(CreateTimeMixin, db.Model):
    """A permission granted to a group."""

    __tablename__ = "auth"
    __table_args__ = (UniqueConstraint("group_id", "permission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"))
    permission_id: Mapped[int] = mapped_column(ForeignKey("permission.id"))

    permission = relationship("Permission", lazy="joined")


menu = Table(
    "menu",
    db.metadata,
    Column("group_id", ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    Column("route_id", ForeignKey("route.id", ondelete="CASCADE"), primary_key=True),
)

group_2_element = Table(
    "group_2_element",
    db.metadata,
    Column("group_id", ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    Column("element_id", ForeignKey("element.id", ondelete="CASCADE"), primary_key=True),
)


class Route(TimestampMixin, db.Model):
    __tablename__ = "route"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    title: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(50), unique=True)
    icon: Mapped[str] = mapped_column(String(100), default="", server_default="")
    path: Mapped[str] = mapped_column(String(200))
    component: Mapped[str | None] = mapped_column(String(200))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RouteNode:
    """A route placed in a tree: reads as the route, plus its `children` (RouteNodes) and any
    extras given (e.g. `elements`). The tree's answer shape is app/schemas/route.py."""

    def __init__(self, route: Route, **extra):
        self.route = route
        self.children: list[RouteNode] = []
        self.__dict__.update(extra)

    def __getattr__(self, name):
        if name == "route":  # not set yet (copy, unpickle): no recursion
            raise AttributeError(name)
        return getattr(self.route, name)


class Element(TimestampMixin, db.Model):
    __tablename__ = "element"

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("route.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    sign: Mapped[str] = mapped_column(String(100), unique=True)
