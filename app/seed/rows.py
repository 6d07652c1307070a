"""The one rule of every seed table: a row found by its natural key is left as it is."""

from sqlalchemy import select

from app.extensions import db


def existing(column, *, deleted: bool = False) -> set:
    """The values `column` holds (in soft-deleted rows too when `deleted`)."""
    statement = select(column)
    if deleted:
        statement = statement.execution_options(include_deleted=True)
    return set(db.session.scalars(statement))


def add_missing(model, columns: tuple, rows, key: str, *, deleted: bool = False, **fixed) -> None:
    """Add each of `rows` (its values in `columns` order, with the `fixed` values) whose `key`
    no row of `model` holds yet."""
    known = existing(getattr(model, key), deleted=deleted)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        if values[key] not in known:
            db.session.add(model(**values, **fixed))
