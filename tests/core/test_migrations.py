"""The Alembic revisions build exactly the schema the models describe."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db


@pytest.fixture
def scratch_url(app, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


def test_migrations_match_the_models(make_app, scratch_url):
    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with migrated_app.app_context():
        upgrade(directory=migrations)
        engine = db.engine
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
    assert diff == []
    assert set(db.metadata.tables) <= tables


def test_search_migration_adds_the_hot_keywords_parameter_to_an_installed_shop(
    make_app, scratch_url
):
    from flask_migrate import downgrade

    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    hot = text("SELECT id, value, value_type, type, public FROM config WHERE `key` = :key")
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                    " create_time, update_time) VALUES (7, 'mine', 'my.key', '1', 'int', 0, 0, '',"
                    " 0, 0)"
                )
            )
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            row = connection.execute(hot, {"key": "shop.search.hot"}).one()
        assert tuple(row) == (8, "[]", "json", 1, 1)
        downgrade(directory=migrations, revision="0001")
        with db.engine.connect() as connection:
            assert connection.execute(hot, {"key": "shop.search.hot"}).first() is None
            assert "search_history" not in inspect(connection).get_table_names()
        db.engine.dispose()


def test_search_migration_leaves_a_new_install_to_the_system_seed(make_app, scratch_url):
    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with migrated_app.app_context():
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM config")).scalar() == 0
        db.engine.dispose()
