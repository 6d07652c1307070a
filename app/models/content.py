"""Content: articles and notices."""

from sqlalchemy import ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SoftDeleteMixin, TimestampMixin


class Article(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    type: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    title: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(String(500), default="", server_default="")
    content: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[int | None] = mapped_column(SmallInteger)
    img: Mapped[str] = mapped_column(String(255), default="", server_default="")
    views: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    author = relationship("User", lazy="joined")


class Notice(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    title: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[bool] = mapped_column(default=True, server_default="1")
    remark: Mapped[str] = mapped_column(String(255), default="", server_default="")
    create_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    update_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
