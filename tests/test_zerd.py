"""zerd.sql (the schema plus demo data in MySQL syntax) matches the models.

Only on MariaDB/MySQL (TEST_DATABASE_URL), with the mysql client installed: the dump is loaded
into scratch databases named after the test database.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.zerd import ROOT, generate

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
MYSQL = shutil.which("mysql") or shutil.which("mariadb")

pytestmark = [
    pytest.mark.skipif(
        not TEST_DATABASE_URL.startswith("mysql"),
        reason="zerd.sql is MySQL syntax: set TEST_DATABASE_URL to a MariaDB/MySQL database",
    ),
    pytest.mark.skipif(MYSQL is None, reason="the mysql command-line client is not installed"),
]


def _scratch(suffix: str):
    url = make_url(TEST_DATABASE_URL)
    return url.set(database=f"{url.database}_{suffix}")


def _load(sql_file: Path, suffix: str):
    """Load a dump into a fresh scratch database; answer an engine on it."""
    url = _scratch(suffix)
    server = create_engine(url.set(database="information_schema"))
    with server.begin() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{url.database}`"))
        connection.execute(text(f"CREATE DATABASE `{url.database}` CHARACTER SET utf8mb4"))
    server.dispose()
    env = dict(os.environ)
    if url.password:
        env["MYSQL_PWD"] = str(url.password)
    with sql_file.open("rb") as handle:
        done = subprocess.run(
            [
                MYSQL,
                f"--host={url.host or '127.0.0.1'}",
                f"--port={url.port or 3306}",
                f"--user={url.username or 'root'}",
                "--default-character-set=utf8mb4",
                url.database,
            ],
            stdin=handle,
            capture_output=True,
            env=env,
        )
    assert done.returncode == 0, done.stderr.decode()
    return create_engine(url.set(query={"charset": "utf8mb4"}))


def _drop(engine) -> None:
    name = engine.url.database
    with engine.begin() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    engine.dispose()


def _schema_differences(engine) -> list[str]:
    inspector = inspect(engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    problems = []
    expected = {table.name: table for table in db.metadata.sorted_tables}
    for name in sorted(set(expected) ^ tables):
        where = "in the models only" if name in expected else "in zerd.sql only"
        problems.append(f"table {name}: {where}")
    for name in sorted(set(expected) & tables):
        loaded = {column["name"]: column for column in inspector.get_columns(name)}
        model = {column.name: column for column in expected[name].columns}
        for column in sorted(set(model) ^ set(loaded)):
            where = "in the models only" if column in model else "in zerd.sql only"
            problems.append(f"column {name}.{column}: {where}")
        for column in sorted(set(model) & set(loaded)):
            if bool(model[column].nullable) != bool(loaded[column]["nullable"]):
                problems.append(
                    f"column {name}.{column}: nullable {model[column].nullable} in the models, "
                    f"{loaded[column]['nullable']} in zerd.sql"
                )
    return problems


def test_zerd_sql_matches_models():
    path = ROOT / "zerd.sql"
    assert path.exists(), "zerd.sql is missing: run `flask --app server zerd`"
    engine = _load(path, "zerd_check")
    try:
        assert _schema_differences(engine) == []
        with engine.connect() as connection:
            head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            users = connection.execute(text("SELECT count(*) FROM `user`")).scalar()
        assert head == "0004"
        assert users >= 3  # the demo accounts are in the dump
    finally:
        _drop(engine)


def test_zerd_command_dumps_migrated_schema_and_demo_seed(tmp_path):
    output = tmp_path / "zerd.sql"
    url = make_url(TEST_DATABASE_URL)
    generate(
        url.set(database="").render_as_string(hide_password=False),
        f"{url.database}_zerd_build",
        output,
    )
    text_sql = output.read_text(encoding="utf-8")
    assert text_sql.startswith("-- zerd.sql")
    assert "/*M!999999" not in text_sql  # MariaDB-only line that MySQL's client rejects
    assert "Dump completed on" not in text_sql  # no dates: regenerating changes only data
    engine = _load(output, "zerd_regen")
    try:
        assert _schema_differences(engine) == []
        with engine.connect() as connection:
            emails = set(connection.execute(text("SELECT email FROM `user`")).scalars())
        assert {"999@qq.com", "777@qq.com", "666@qq.com"} <= emails
    finally:
        _drop(engine)
        _drop(create_engine(url.set(database=f"{url.database}_zerd_build")))
