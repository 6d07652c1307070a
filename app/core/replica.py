"""Catalog reads from a read replica (config DATABASE_REPLICA_URL), everything else from the
primary.

Only code inside `replica_reads()` may use the replica, and only for SELECTs; flushes always go
to the primary. The HTTP cache (app/core/http_cache.py) uses it when it builds an answer.
"""

from contextlib import contextmanager

from flask import current_app, g, has_app_context
from flask_sqlalchemy.session import Session

REPLICA = "replica"


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending reads to the replica inside replica_reads()."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if (
            bind is None
            and not self._flushing
            and has_app_context()
            and g.get("replica_reads")
            and REPLICA in self._db.engines
        ):
            return self._db.engines[REPLICA]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def replica_reads(enabled: bool = True):
    """Run the block's queries on the replica when one is configured (and `enabled`)."""
    db = current_app.extensions["sqlalchemy"]  # the Flask-SQLAlchemy object bound to this app
    if not enabled or REPLICA not in db.engines:
        yield
        return
    g.replica_reads = True
    try:
        yield
    finally:
        g.replica_reads = False
        db.session.rollback()  # end the replica transaction; later work starts on the primary
