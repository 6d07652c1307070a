"""Helpers that Alembic revisions share (migrations/versions/).

Tables: `create_table` builds one with its surrogate key, constraints and indexes named the way
app/extensions.py's naming convention named them when the revisions were written (spelled out
here, so a later change to the convention cannot change what an old revision builds), and the
column groups the model mixins declare (app/models/base.py) come from one function each.

Parameters: a revision that brings new built-in config parameters adds them to an installed
shop (one whose config table already has rows); a new install gets them from the system seed
(app/seed/system.py) with the ids it gives them. So a parameter is written once per place it
can come from, and this loop once.
"""

import time
from collections.abc import Iterable

import sqlalchemy as sa
from alembic import op

# --- tables -----------------------------------------------------------------------------------


def id_column() -> sa.Column:
    """The surrogate key column (create_table adds it unless the table has its own key)."""
    return sa.Column("id", sa.Integer(), nullable=False)


def create_time() -> sa.Column:
    """CreateTimeMixin's column."""
    return sa.Column("create_time", sa.Integer(), nullable=False)


def timestamps(*, soft_delete: bool = False) -> list[sa.Column]:
    """TimestampMixin's update_time and create_time, then SoftDeleteMixin's delete_time."""
    columns = [sa.Column("update_time", sa.Integer(), nullable=False), create_time()]
    if soft_delete:
        columns.append(sa.Column("delete_time", sa.Integer(), nullable=True))
    return columns


def event_columns() -> list[sa.Column]:
    """A status change of a workflow row (order_event, after_sale_event), after its subject."""
    return [
        sa.Column("from_status", sa.SmallInteger(), nullable=True),
        sa.Column("to_status", sa.SmallInteger(), nullable=False),
        sa.Column("actor_type", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=255), server_default="", nullable=False),
        create_time(),
    ]


def _columns(columns: str | Iterable[str]) -> list[str]:
    return [columns] if isinstance(columns, str) else list(columns)


def create_table(
    name: str,
    *columns: sa.Column,
    key: Iterable[str] | None = None,
    checks: dict[str, str] | None = None,
    foreign_keys: Iterable[tuple[str, ...]] = (),
    unique: Iterable[str | Iterable[str]] = (),
    indexes: Iterable[str | Iterable[str]] = (),
) -> None:
    """Create table `name`: `id_column()` first unless `key` names the primary key columns
    (declared in `columns`); `checks` maps a name to its SQL (ck_<table>_<name>);
    `foreign_keys` holds (column, referred table[, ondelete]) rows, each referring to the
    table's `id`; `unique` and `indexes` hold a column or a tuple of columns each. The
    constraints come in the order autogenerate wrote them: checks, foreign keys, primary key,
    unique ones; the indexes are created after the table."""
    if key is None:
        key = ["id"]
        columns = (id_column(), *columns)
    op.create_table(
        name,
        *columns,
        *(
            sa.CheckConstraint(sql, name=op.f(f"ck_{name}_{check}"))
            for check, sql in (checks or {}).items()
        ),
        *(_foreign_key(name, *reference) for reference in foreign_keys),
        sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}")),
        *(
            sa.UniqueConstraint(
                *_columns(group), name=op.f(f"uq_{name}_{'_'.join(_columns(group))}")
            )
            for group in unique
        ),
    )
    create_indexes(name, *indexes)


def create_link_table(
    name: str, *links: tuple[str, str], columns: Iterable[sa.Column] = ()
) -> None:
    """Create a many-to-many table: one integer column per (column, referred table) link, those
    columns its primary key, each row going with either side (ON DELETE CASCADE); `columns`
    follow the links."""
    create_table(
        name,
        *(sa.Column(column, sa.Integer(), nullable=False) for column, _ in links),
        *columns,
        key=[column for column, _ in links],
        foreign_keys=sorted((column, referred, "CASCADE") for column, referred in links),
    )


def _foreign_key(
    table: str, column: str, referred: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred}.id"],
        name=op.f(f"fk_{table}_{column}_{referred}"),
        ondelete=ondelete,
    )


def create_indexes(table: str, *indexes: str | Iterable[str]) -> None:
    """Index `table` on each column or tuple of columns (ix_<table>_<columns>)."""
    for group in indexes:
        columns = _columns(group)
        op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, columns, unique=False)


def drop_tables(*names: str) -> None:
    """Drop the tables in this order, each with its indexes (dropping an index a foreign key
    needs first is refused on MariaDB)."""
    for name in names:
        op.drop_table(name)


# --- built-in config parameters -----------------------------------------------------------------

# The columns of `config` the revisions write, as a lightweight table (never the model: a
# revision must keep working whatever the model becomes).
CONFIG = sa.table(
    "config",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("key", sa.String),
    sa.column("value", sa.String),
    sa.column("value_type", sa.String),
    sa.column("type", sa.Boolean),
    sa.column("public", sa.Boolean),
    sa.column("remark", sa.String),
    sa.column("create_time", sa.Integer),
    sa.column("update_time", sa.Integer),
)


def add_parameters(parameters: list[tuple[str, str, str, str, str]]) -> None:
    """Append (key, name, value, value_type, remark) built-in, public rows after the last id
    of an installed shop; keys it already has are left alone; an empty table is a new install
    (the seed fills it) and gets nothing."""
    connection = op.get_bind()
    last_id = connection.execute(sa.select(sa.func.max(CONFIG.c.id))).scalar()
    if last_id is None:
        return
    keys = [key for key, *_ in parameters]
    present = set(
        connection.execute(sa.select(CONFIG.c.key).where(CONFIG.c.key.in_(keys))).scalars()
    )
    at = int(time.time())
    rows = []
    for key, name, value, value_type, remark in parameters:
        if key in present:
            continue
        last_id += 1
        rows.append(
            {
                "id": last_id,
                "name": name,
                "key": key,
                "value": value,
                "value_type": value_type,
                "type": True,
                "public": True,
                "remark": remark,
                "create_time": at,
                "update_time": at,
            }
        )
    if rows:
        op.bulk_insert(CONFIG, rows)


def remove_parameters(parameters: list[tuple]) -> None:
    """Delete the rows of these parameters (a downgrade)."""
    op.execute(CONFIG.delete().where(CONFIG.c.key.in_([key for key, *_ in parameters])))
