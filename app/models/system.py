"""System tables: config parameters, dictionaries, the file manager."""

import json

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.urls import upload_url
from app.extensions import db
from app.models.base import SoftDeleteMixin, TimestampMixin, now

# A config parameter's value is stored as text and answered as JSON of its `value_type`.
VALUE_TYPES = ("str", "int", "bool", "json")
KEY_PATTERN = r"[A-Za-z0-9._-]{1,64}"
BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False}


def parse_value(text: str, value_type: str):
    """The stored text as a JSON value of its type; a text that does not parse stays a string."""
    try:
        if value_type == "int":
            return int(text)
        if value_type == "bool":
            return BOOL_WORDS[text.strip().lower()]
        if value_type == "json":
            return json.loads(text)
    except (ValueError, KeyError, TypeError):
        return text
    return text


class Config(TimestampMixin, db.Model):
    __tablename__ = "config"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(String(255), default="", server_default="")
    value_type: Mapped[str] = mapped_column(String(8), default="str", server_default="str")
    type: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    remark: Mapped[str] = mapped_column(String(255), default="", server_default="")

    @property
    def typed_value(self):
        return parse_value(self.value, self.value_type)


class DictType(TimestampMixin, db.Model):
    __tablename__ = "dict_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    remark: Mapped[str] = mapped_column(String(255), default="", server_default="")


class Dict(TimestampMixin, db.Model):
    __tablename__ = "dict"
    __table_args__ = (
        UniqueConstraint("type", "value"),
        Index("ix_dict_type_order", "type", "order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    label: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(64))
    css_class: Mapped[str] = mapped_column(String(64), default="", server_default="")
    list_class: Mapped[str] = mapped_column(String(16), default="", server_default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    status: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    remark: Mapped[str] = mapped_column(String(255), default="", server_default="")


class File(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "file"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        Integer, default=0, server_default="0", index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    is_folder: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    extension: Mapped[str] = mapped_column(String(16), default="", server_default="")
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    mime_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    storage: Mapped[str] = mapped_column(String(16), default="local", server_default="local")
    storage_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    sha256: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    @property
    def url(self) -> str:
        return "" if self.is_folder or not self.storage_key else upload_url(self.storage_key)

    @staticmethod
    def root() -> "File":
        """Folder 0, the root of the file manager, which has no row (never added to a session)."""
        stamp = now()
        return File(
            id=0, parent_id=0, name="", is_folder=True, create_time=stamp, update_time=stamp
        )
