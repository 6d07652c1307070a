"""Helpers that Alembic revisions share (migrations/versions/).

A revision that brings new built-in config parameters adds them to an installed shop (one whose
config table already has rows); a new install gets them from the system seed
(app/seed/system.py) with the ids it gives them. So a parameter is written once per place it
can come from, and this loop once.
"""

import time

import sqlalchemy as sa
from alembic import op

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
