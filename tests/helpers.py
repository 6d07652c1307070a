"""Test helpers shared by several test modules."""

import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.extensions import cache, db

needs_mariadb = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("mysql"),
    reason="row-level lock races need MariaDB (set TEST_DATABASE_URL); SQLite locks the file",
)


def run_parallel(app: Flask, jobs: list[Callable], timeout: float = 60) -> list:
    """Run each job in its own thread, app context and session, all released at once; answer
    their results or errors."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def runner(index, job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = job()
            except Exception as error:  # collected for the assertions
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def run_serial(app: Flask, jobs: list[Callable]) -> list:
    """Run the jobs one after another in this session; answer their results or errors."""
    results = []
    for job in jobs:
        try:
            results.append(job())
        except Exception as error:
            db.session.rollback()
            results.append(error)
    return results


def race(**options: tuple):
    """Parametrize a race scenario over `runner`: run_parallel (threads, MariaDB only), then
    run_serial (the same interleaving-free outcome everywhere). Each keyword gives the
    scenario's option as a (threads, serial) pair."""
    return pytest.mark.parametrize(
        ["runner", *options],
        [
            pytest.param(
                run_parallel,
                *(pair[0] for pair in options.values()),
                id="threads",
                marks=needs_mariadb,
            ),
            pytest.param(run_serial, *(pair[1] for pair in options.values()), id="serial"),
        ],
    )


def errors_of(results: list) -> list[Exception]:
    return [result for result in results if isinstance(result, Exception)]


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


def statements_of(client, path: str, headers=None, body=None) -> tuple[int, dict]:
    """GET `path` (POST `body` when given), 200 expected, from an empty cache and session: the
    number of SQL statements it sent and the data it answered."""
    cache.clear()
    db.session.expire_all()
    with count_statements() as log:
        if body is None:
            response = client.get(path, headers=headers)
        else:
            response = client.post(path, json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return log.count, response.get_json()["data"]


def skip_unless_route(app: Flask, method: str, rule: str) -> None:
    """Skip the test while `method rule` is not in the URL map (a route still to be built)."""
    if not any(r.rule == rule and method in r.methods for r in app.url_map.iter_rules()):
        pytest.skip(f"{method} {rule} does not exist yet")


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
