"""Shared column types and mixins: Unix timestamps, soft delete, exact money."""

import time
from decimal import Decimal

from sqlalchemy import Integer, Numeric, SmallInteger, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria
from sqlalchemy.types import TypeDecorator


def now() -> int:
    return int(time.time())


class Money(TypeDecorator):
    """DECIMAL(10,2) on MySQL/MariaDB; integer fen on SQLite, which has no exact decimal type."""

    impl = Numeric(10, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(10, 2, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(Decimal("0.01"))
        return int(value * 100) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
        return Decimal(value).quantize(Decimal("0.01"))


def money_text(value: Decimal | None) -> str:
    """Money as a JSON string with exactly two decimals."""
    return f"{(value or Decimal(0)):.2f}"


def yuan_to_fen(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_exact())


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


class CreateTimeMixin:
    create_time: Mapped[int] = mapped_column(Integer, default=now, nullable=False)


class TimestampMixin(CreateTimeMixin):
    update_time: Mapped[int] = mapped_column(Integer, default=now, onupdate=now, nullable=False)

    def __init__(self, **kwargs):  # update_time equals create_time on insert
        super().__init__(**kwargs)
        if self.create_time is None:
            self.create_time = now()
        if self.update_time is None:
            self.update_time = self.create_time


class StatusEventMixin(CreateTimeMixin):
    """One status move of a row with a status machine: from (None: created) and to, who moved
    it (`actor_type`, `actor_id`) and why, when. The table adds its id and the row it follows."""

    from_status: Mapped[int | None] = mapped_column(SmallInteger)
    to_status: Mapped[int] = mapped_column(SmallInteger)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(255), default="", server_default="")


class SoftDeleteMixin:
    """Rows with delete_time set are invisible to every ORM query (see the event below)."""

    delete_time: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)

    def soft_delete(self) -> None:
        self.delete_time = now()


@event.listens_for(Session, "do_orm_execute")
def _hide_deleted_rows(state: ORMExecuteState) -> None:
    # Applies to selects, lazy and eager relationship loads and joins. Maintenance code opts
    # out with .execution_options(include_deleted=True).
    if (
        state.is_select
        and not state.is_column_load
        and not state.execution_options.get("include_deleted", False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(
                SoftDeleteMixin,
                lambda cls: cls.delete_time.is_(None),
                include_aliases=True,
            )
        )


def assign(row, values: dict, names) -> None:
    """Set on `row` those of `names` that `values` holds: a partial update from a form's
    `present()` values (a name not listed is never assigned)."""
    for name in names:
        if name in values:
            setattr(row, name, values[name])
