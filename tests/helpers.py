"""Test helpers shared by several test modules."""

from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import event

from app.extensions import db


class StatementLog:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements():
    """Record every SQL statement the engine sends while the block runs."""
    log = StatementLog()

    def record(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def migration_head() -> str:
    """The revision a fully migrated database is at (the newest in migrations/versions)."""
    migrations = Path(__file__).resolve().parents[1] / "migrations"
    return ScriptDirectory(str(migrations)).get_current_head()
