"""Database glue: SQLite pragmas, retries of deadlocked transactions."""

import logging
import time

from flask import after_this_request, has_request_context
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


def commit_keeping(*rows) -> None:
    """Commit, keeping `rows` loaded until this request's answer is built: a write that answers
    rows it has just read and written (their in-memory state is what was committed) saves one
    SELECT per row that reading them again would cost. Every other object of the session is
    expired as a commit does; the kept ones are expired once the response exists (sessions
    can outlive a request: tests, CLI code)."""
    session = db.session()
    kept = [row for row in rows if row is not None]
    ids = {id(row) for row in kept}
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
    for row in list(session.identity_map.values()):
        if id(row) not in ids:
            session.expire(row)
    if has_request_context():

        @after_this_request
        def _expire_kept(response):
            for row in kept:
                if row in session:
                    session.expire(row)
            return response
