"""Logs: login attempts, admin operations, unexpected errors. Writing one never fails a request."""

from sqlalchemy import JSON, Boolean, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import CreateTimeMixin

# oper_log.type 0..9, as the CMS shows them.
OPER_TYPE_LABELS = [
    "其他",
    "新增",
    "修改",
    "删除",
    "授权",
    "导出",
    "导入",
    "强退",
    "生成代码",
    "清空数据",
]


class LogMixin(CreateTimeMixin):
    """Cut string values to their column length on insert."""

    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            column = self.__table__.columns.get(key)
            length = getattr(column.type, "length", None) if column is not None else None
            if isinstance(value, str) and length:
                kwargs[key] = value[:length]
        super().__init__(**kwargs)


class LoginLog(LogMixin, db.Model):
    __tablename__ = "login_log"
    __table_args__ = (Index("ix_login_log_create_time", "create_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(100), default="", index=True)
    client_type: Mapped[int] = mapped_column(SmallInteger, default=0)
    ip_addr: Mapped[str] = mapped_column(String(64), default="")
    location: Mapped[str] = mapped_column(String(255), default="")
    browser: Mapped[str] = mapped_column(String(64), default="")
    os: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(String(255), default="")


class OperLog(LogMixin, db.Model):
    __tablename__ = "oper_log"
    __table_args__ = (Index("ix_oper_log_create_time", "create_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(100), default="", index=True)
    module: Mapped[str] = mapped_column(String(50), default="")
    auth: Mapped[str] = mapped_column(String(100), default="")
    type: Mapped[int] = mapped_column(SmallInteger, default=0)
    path: Mapped[str] = mapped_column(String(255), default="")
    endpoint: Mapped[str] = mapped_column(String(100), default="")
    request_method: Mapped[str] = mapped_column(String(10), default="")
    request_param: Mapped[dict] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(String(450), default="")
    status_code: Mapped[int] = mapped_column(Integer, default=0)
    ip_addr: Mapped[str] = mapped_column(String(64), default="")


class ErrorLog(LogMixin, db.Model):
    __tablename__ = "error_log"
    __table_args__ = (Index("ix_error_log_create_time", "create_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10), default="")
    path: Mapped[str] = mapped_column(String(255), default="")
    endpoint: Mapped[str] = mapped_column(String(100), default="")
    exception: Mapped[str] = mapped_column(String(255), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    traceback: Mapped[str] = mapped_column(Text, default="")
    request_param: Mapped[dict] = mapped_column(JSON)
