"""Test helpers shared by several test modules."""

from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.extensions import cache, db


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


def error(response, status: int, code: int) -> dict:
    """Assert the response is the error envelope with this status and error_code; its body."""
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (status, code), body
    return body


def statements_of_get(client, path: str, headers=None) -> tuple[int, dict]:
    """GET `path` (200 expected) from an empty cache and session: the number of SQL statements
    it sent and the data it answered."""
    cache.clear()
    db.session.expire_all()
    with count_statements() as log:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return log.count, response.get_json()["data"]


def client_with_routes(app: Flask, routes: dict[str, Callable]) -> FlaskClient:
    """A client of `app` with extra test routes ("METHOD /rule" -> view)."""
    blueprint = Blueprint("test_routes", __name__)
    for route, view in routes.items():
        method, rule = route.split(" ", 1)
        blueprint.add_url_rule(rule, view_func=view, methods=[method])
    app.register_blueprint(blueprint)
    return app.test_client()


def migration_head() -> str:
    """The revision a fully migrated database is at (the newest in migrations/versions)."""
    migrations = Path(__file__).resolve().parents[1] / "migrations"
    return ScriptDirectory(str(migrations)).get_current_head()
