"""Accounts: users, third-party identities, refresh tokens, addresses."""

import os

from flask import current_app
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.urls import upload_url
from app.extensions import db
from app.models.base import CreateTimeMixin, SoftDeleteMixin, TimestampMixin

# One hash of a random value per hash method, checked when there is no real one.
_DUMMY_HASHES: dict[str, str] = {}


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def _dummy_hash() -> str:
    """A hash of a random value, checked when there is no real one (same timing)."""
    method = _hash_method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(os.urandom(16).hex(), method=method)
    return _DUMMY_HASHES[method]


def spend_password_check(raw: str) -> None:
    """Take as long as a password check for an account that does not exist."""
    check_password_hash(_dummy_hash(), raw)


AUTH_USER = 1
AUTH_SUPER = 2
IDENTIFIER_FIELDS = ("username", "email", "mobile")


class User(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    nickname: Mapped[str | None] = mapped_column(String(24))
    username: Mapped[str | None] = mapped_column(String(24), unique=True)
    email: Mapped[str | None] = mapped_column(String(100), unique=True)
    mobile: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    avatar: Mapped[str] = mapped_column(String(255), default="", server_default="")
    auth: Mapped[int] = mapped_column(SmallInteger, default=AUTH_USER, server_default="1")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_login_time: Mapped[int | None] = mapped_column(Integer)

    group = relationship("Group", lazy="select")
    identities = relationship(
        "Identity", back_populates="user", lazy="select", cascade="all, delete-orphan"
    )

    # -- password
    def set_password(self, raw: str) -> None:
        self.password_hash = generate_password_hash(raw, method=_hash_method())

    def check_password(self, raw: str) -> bool:
        # Without a password a hash is still checked, so the answer takes as long either way.
        return check_password_hash(self.password_hash or _dummy_hash(), raw) and bool(
            self.password_hash
        )

    # -- roles
    @property
    def is_super(self) -> bool:
        return self.auth == AUTH_SUPER

    @property
    def is_staff(self) -> bool:
        return self.is_super or self.group_id is not None

    @property
    def scope(self) -> str:
        return "super" if self.is_super else ("staff" if self.group_id else "user")

    @property
    def display_name(self) -> str:
        return self.nickname or self.username or self.email or ""

    @property
    def wx_bound(self) -> bool:
        return any(identity.type == 200 for identity in self.identities)

    @property
    def avatar_url(self) -> str:
        if not self.avatar or self.avatar.startswith(("http://", "https://")):
            return self.avatar or ""
        return upload_url(self.avatar)

    def can_log_in(self, **changes) -> bool:
        """Whether the account, with `changes` applied, keeps a way to log in: a WeChat
        identity, or a password with at least one of user name, email, mobile."""
        wx_bound = changes.get("wx_bound", self.wx_bound)
        identifiers = [changes.get(name, getattr(self, name)) for name in IDENTIFIER_FIELDS]
        return bool(wx_bound or (self.password_hash and any(identifiers)))

    def revoke_tokens(self) -> None:
        """Every access and refresh token issued before now stops working."""
        self.token_version = (self.token_version or 0) + 1


class Identity(TimestampMixin, db.Model):
    """A third-party login identity (WeChat openid 200, union id 201)."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("type", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    type: Mapped[int] = mapped_column(SmallInteger)
    identifier: Mapped[str] = mapped_column(String(128))
    verified: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    user = relationship("User", back_populates="identities")


class RefreshToken(CreateTimeMixin, db.Model):
    __tablename__ = "refresh_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_type: Mapped[int] = mapped_column(SmallInteger)
    token_version: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[int] = mapped_column(Integer)
    used_at: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[int | None] = mapped_column(Integer)


class Address(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "address"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    mobile: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(20), default="", server_default="")
    detail: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    def snapshot(self) -> dict:
        return {
            key: getattr(self, key)
            for key in ("name", "mobile", "province", "city", "country", "detail")
        }
