"""The one check that a value is not taken by another row (409 / Duplicated otherwise)."""

from sqlalchemy import select

from app.core.exceptions import Duplicated
from app.extensions import db


def ensure_free(model, condition, message: str, own_id: int | None = None) -> None:
    """Raise Duplicated(message) when a row of `model` other than `own_id` meets `condition`."""
    statement = select(model.id).where(condition)
    if own_id is not None:
        statement = statement.where(model.id != own_id)
    if db.session.scalar(statement.limit(1)) is not None:
        raise Duplicated(message)
