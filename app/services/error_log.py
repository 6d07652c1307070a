"""The error log: one row per server-side failure (core/errors.py decides which and calls this)."""

from app.extensions import db
from app.models import ErrorLog


def write_error_log(**fields) -> None:
    db.session.add(ErrorLog(**fields))
    db.session.commit()
