"""Seeds: the demo data loads completely, twice without change; the run command prepares SQLite."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Banner,
    Category,
    Config,
    Dict,
    DictType,
    File,
    Group,
    Image,
    Notice,
    Order,
    Permission,
    Product,
    Route,
    Theme,
    User,
)
from app.seed import SeedRefused, load_demo
from app.seed.demo import seed_demo

ROOT = Path(__file__).resolve().parents[1]
COUNTED = (
    User,
    Group,
    Permission,
    Route,
    Config,
    DictType,
    Dict,
    File,
    Image,
    Category,
    Product,
    Theme,
    Banner,
    Article,
    Notice,
    Order,
)


def _counts() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in COUNTED
    }


def test_demo_seed_loads_everything_and_is_idempotent(app):
    seed_demo()
    first = _counts()
    assert first == {
        "User": 3,
        "Group": 5,
        "Permission": 67,
        "Route": 34,
        "Config": 3,
        "DictType": 10,
        "Dict": 28,
        "File": 3,
        "Image": 61,
        "Category": 6,
        "Product": 32,
        "Theme": 3,
        "Banner": 1,
        "Article": 3,
        "Notice": 2,
        "Order": 2,
    }
    seed_demo()
    assert _counts() == first


def test_demo_seed_is_refused_in_production(make_app):
    import pytest

    production = make_app(
        env_mode="production", SECRET_KEY="p" * 40, PUBLIC_BASE_URL="https://shop.example.com"
    )
    with production.app_context(), pytest.raises(SeedRefused):
        load_demo(production)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_run_command_prepares_an_empty_sqlite_database_with_demo_data(tmp_path):
    database = tmp_path / "fresh.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "ENV_MODE": "development"}
    env.pop("TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import server; server.prepare_embedded_database()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "demo accounts exist: 999@qq.com" in result.stderr
    with sqlite3.connect(database) as connection:
        emails = {row[0] for row in connection.execute("SELECT email FROM user")}
        products = connection.execute("SELECT count(*) FROM product").fetchone()[0]
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert emails == {"999@qq.com", "777@qq.com", "666@qq.com"}
    assert products == 32
    assert version == "0001"
