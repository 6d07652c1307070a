"""Test app, database isolation and auth fixtures.

The suite runs on a throw-away SQLite file by default and on the database named by
TEST_DATABASE_URL (e.g. mysql+pymysql://root@127.0.0.1:3306/test) when it is set. Every test
starts from the system seed: after each test all rows are deleted and the system data reloaded,
so tests that commit from several threads are isolated too.

The slow families carry a marker (registered in pyproject.toml, given here by path): `fuzz`,
`matrix` (route-map access matrices) and `outage` (the database going away and coming back).
Everything runs by default; `pytest -m "not fuzz and not matrix and not outage"` is the fast loop.
"""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import cache, db, limiter
from app.seed import seed_system
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

# test file (relative to tests/) -> marker; "file::test" marks that test only
SLOW_FAMILIES = {
    "test_fuzz.py": "fuzz",
    "api/v2/test_access_matrix.py": "matrix",
    "security/test_function_level.py": "matrix",
    "security/test_object_level.py": "matrix",
    "security/test_property_level.py": "matrix",
    "security/test_safe_methods.py": "matrix",
    "test_failure_modes.py::test_database_unreachable_answers_503_everywhere": "outage",
    "test_failure_modes.py::test_app_recovers_when_the_database_returns": "outage",
}
_TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        path = item.path.relative_to(_TESTS_DIR).as_posix()
        for key in (path, f"{path}::{item.originalname}"):
            if key in SLOW_FAMILIES:
                item.add_marker(SLOW_FAMILIES[key])


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(
        {"DATABASE_URL": url, "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads"))},
        env_mode="testing",
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_system(app)
        _SYSTEM_ROWS.update(_snapshot())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# The system seed as loaded once: restored after every test with one insert per table.
_SYSTEM_ROWS: dict = {}


def _snapshot() -> dict:
    with db.engine.connect() as connection:
        return {
            table: [dict(row._mapping) for row in connection.execute(table.select())]
            for table in db.metadata.sorted_tables
        }


def _reset_database() -> None:
    """Delete every row, then restore the system seed."""
    db.session.remove()
    with db.engine.begin() as connection:
        mysql = connection.dialect.name == "mysql"
        if mysql:
            connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table, rows in _SYSTEM_ROWS.items():
            if rows:
                connection.execute(table.insert(), rows)
        if mysql:
            connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))


@pytest.fixture(autouse=True)
def _isolated(app):
    with app.app_context():
        yield
        _reset_database()
        cache.clear()
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()


@pytest.fixture
def make_app(app):
    """Build another app on the same test database, with config overrides."""

    def build(env_mode="testing", **overrides):
        settings = {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            **overrides,
        }
        return create_app(settings, env_mode=env_mode)

    return build


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The full demo data set (accounts, groups, catalog, content, orders)."""
    from app.seed.demo import seed_demo

    seed_demo()
    db.session.remove()


@pytest.fixture
def customer():
    return factories.make_user(email="customer@example.com", nickname="Customer")


@pytest.fixture
def other_customer():
    return factories.make_user(email="other@example.com", nickname="Other")


@pytest.fixture
def super_admin():
    return factories.make_user(email="root@example.com", nickname="Root", auth=2)


@pytest.fixture
def customer_headers(customer):
    return factories.auth_headers(customer)


@pytest.fixture
def other_headers(other_customer):
    return factories.auth_headers(other_customer)


@pytest.fixture
def super_headers(super_admin):
    return factories.auth_headers(super_admin)
