"""Database glue: SQLite pragmas, retries of deadlocked transactions."""

import logging
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.core.exceptions import Conflict
from app.extensions import db

logger = logging.getLogger(__name__)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def is_lock_error(error: OperationalError) -> bool:
    args = getattr(error.orig, "args", ())
    return bool(args) and args[0] in (1205, 1213) or "database is locked" in str(error.orig)


def with_retries(work, attempts: int = 3):
    """Run `work()` (which commits) again after a deadlock or lock timeout."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            db.session.rollback()
            if not is_lock_error(error) or attempt == attempts:
                raise
            logger.info("retrying after a lock error (attempt %s)", attempt)
            time.sleep(0.02 * attempt)
    return None


def retrying(work):
    """`with_retries(work)`, answering a lock error that outlasts the retries as 409 / Conflict."""
    try:
        return with_retries(work)
    except OperationalError as error:
        if is_lock_error(error):
            raise Conflict() from None
        raise
