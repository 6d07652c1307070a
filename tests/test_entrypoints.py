"""server.py, fake.py, `flask --app server ...` and /health."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

import fake
from app.cli import COMMANDS, create_super_admin, prepare_database
from app.extensions import db
from app.models import User
from tests.helpers import migration_head

ROOT = Path(__file__).resolve().parents[1]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


# ------------------------------------------------------------------ /health


def test_health_answers_ok_with_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_database_is_unreachable(make_app):
    app = make_app(DATABASE_URL="mysql+pymysql://root@127.0.0.1:1/none")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["error_code"] == 1009


def test_health_answers_503_naming_a_missing_schema(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    response = app.test_client().get("/health")
    body = response.get_json()
    assert response.status_code == 503
    assert body["error_code"] == 1009
    assert body["msg"] == "The database has no schema: run `flask --app server db upgrade`"
    assert body["detail"] == {"status": "unavailable", "database": "ok", "schema": "missing"}


# ------------------------------------------------------------------ fake.py


@pytest.fixture
def fake_env(app, monkeypatch):
    """fake.main() builds its app from the environment: point it at the test database."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("ENV_MODE", "testing")
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)  # set by Flask's CLI, restored
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a terminal: nothing is asked


def _users() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(User))


def test_fake_main_creates_a_super_admin_and_prints_the_generated_password(fake_env, capsys):
    assert fake.main(["--email", "Boss@Example.com", "--nickname", "Boss"]) == 0
    out = capsys.readouterr().out.splitlines()
    db.session.remove()
    user = db.session.scalars(select(User).where(User.email == "boss@example.com")).one()
    assert out[0] == f"Super admin boss@example.com created (id {user.id})."
    prefix = "Generated password (shown once): "
    assert out[1].startswith(prefix) and len(out) == 2
    assert user.auth == 2 and user.active and user.nickname == "Boss"
    assert user.check_password(out[1].removeprefix(prefix))


def test_fake_main_with_a_password_and_an_existing_email_changes_nothing(fake_env, capsys):
    assert fake.main(["--email", "root@example.com", "--password", "long-enough-1"]) == 0
    assert "Generated password" not in capsys.readouterr().out
    assert fake.main(["--email", "ROOT@example.com", "--password", "another-one-2"]) == 0
    out = capsys.readouterr().out
    db.session.remove()
    user = db.session.scalars(select(User).where(User.email == "root@example.com")).one()
    assert out == f"A user with email root@example.com already exists (id {user.id}); no change.\n"
    assert user.check_password("long-enough-1") and _users() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email"], "not a valid email address: 'not-an-email'"),
        (["--email", "a@b"], "not a valid email address"),
        (["--email", "x@example.com", "--password", "short"], "8 to 64 characters"),
        (["--email", "x@example.com", "--password", " " * 10], "not only white space"),
    ],
)
def test_fake_main_refuses_bad_input_without_creating_anything(fake_env, capsys, args, message):
    assert fake.main(args) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert _users() == 0


def test_create_super_admin_is_idempotent():
    user, created = create_super_admin("Boss@Example.com", "long-enough-password")
    again, created_again = create_super_admin("boss@example.com", "other-password-123")
    assert created and not created_again and again.id == user.id
    row = db.session.scalars(select(User).where(User.email == "boss@example.com")).one()
    assert row.auth == 2 and row.check_password("long-enough-password")


# ----------------------------------------------------------------- commands


def test_every_command_is_a_flask_command(app):
    names = set(app.cli.commands)
    expected = {
        "prepare-db",
        "seed",
        "seed-system",
        "create-admin",
        "order",
        "logs",
        "outbox",
        "zerd",
        "settings",
        "pay",
        "wechat",
        "stats",
    }
    assert expected <= names and {command.name for command in COMMANDS} == expected
    assert set(app.cli.commands["order"].commands) == {"expire"}
    assert set(app.cli.commands["outbox"].commands) == {"run"}
    assert set(app.cli.commands["pay"].commands) == {"reconcile"}
    assert set(app.cli.commands["wechat"].commands) == {"fake"}
    assert set(app.cli.commands["stats"].commands) == {"rebuild"}


def test_create_admin_command_is_what_fake_runs(app, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "cli@example.com", "--password", "long-enough-3"]
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    user = db.session.scalars(select(User).where(User.email == "cli@example.com")).one()
    assert result.output == f"Super admin cli@example.com created (id {user.id}).\n"


# ------------------------------------------------- migration keeps app logging


def test_prepare_database_keeps_the_app_logging(make_app, tmp_path, caplog):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}")
    prepare_database(app)  # runs the Alembic migrations in this process
    assert root.handlers == handlers and root.level == level
    with caplog.at_level(logging.INFO):
        logging.getLogger("mini_shop").info("serving on http://127.0.0.1:5000")
    assert "serving on http://127.0.0.1:5000" in caplog.messages
    assert not logging.getLogger("mini_shop").disabled
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        assert head == migration_head()
        assert db.session.scalar(select(func.count()).select_from(User)) == 3  # demo accounts


# ------------------------------------------------------ serving a fresh clone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "ENV_MODE": "development"}
    for key in ("TEST_DATABASE_URL", "FLASK_RUN_FROM_CLI", "FLASK_DEBUG", "LOG_LEVEL"):
        env.pop(key, None)
    return env


def _serve(command: list[str], env: dict, port: int) -> tuple[dict, str]:
    """Start a server, answer its /health body once it answers, and everything it logged."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            raise AssertionError(f"the server did not answer: {process.communicate()[0]}")
    finally:
        process.terminate()
    return health, process.communicate(timeout=30)[0]


def _sqlite_users(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        emails = set(connection.execute(text("SELECT email FROM user")).scalars())
    engine.dispose()
    return emails


DEMO_EMAILS = {"999@qq.com", "777@qq.com", "666@qq.com"}


def test_flask_run_on_a_fresh_sqlite_file_prepares_the_database(tmp_path):
    database, port = tmp_path / "fresh.db", _free_port()
    command = [sys.executable, "-m", "flask", "--app", "server", "run", "--port", str(port)]
    health, output = _serve(command, _env(f"sqlite:///{database}"), port)
    assert health["data"] == {"status": "ok", "database": "ok"}, output
    assert "demo accounts exist: 999@qq.com" in output
    assert _sqlite_users(database) == DEMO_EMAILS


def test_server_run_prepares_the_database_and_keeps_the_app_log_format(tmp_path):
    database, port = tmp_path / "fresh.db", _free_port()
    command = [sys.executable, "server.py", "run", "--port", str(port)]
    health, output = _serve(command, _env(f"sqlite:///{database}"), port)
    assert health["data"] == {"status": "ok", "database": "ok"}, output
    # The app's format (time, level, logger) survives the migration, and so does INFO.
    assert f" INFO mini_shop: serving on http://127.0.0.1:{port}" in output
    assert " INFO alembic.runtime.migration: Running upgrade  -> 0001" in output
    assert _sqlite_users(database) == DEMO_EMAILS


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("mysql"), reason="needs TEST_DATABASE_URL on MariaDB"
)
@pytest.mark.parametrize("entry", ["flask", "server.py"])
def test_run_refuses_a_server_database_without_schema(entry):
    url = make_url(TEST_DATABASE_URL)
    empty = url.set(database=f"{url.database}_noschema")
    server = create_engine(url.set(database="information_schema"))
    with server.begin() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{empty.database}`"))
        connection.execute(text(f"CREATE DATABASE `{empty.database}`"))
    port = str(_free_port())
    command = {
        "flask": [sys.executable, "-m", "flask", "--app", "server", "run", "--port", port],
        "server.py": [sys.executable, "server.py", "run", "--port", port],
    }[entry]
    try:
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=_env(empty.render_as_string(hide_password=False)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        with server.begin() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{empty.database}`"))
        server.dispose()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: the database has no schema: run `uv run flask --app server db upgrade` "
        "then `uv run flask --app server seed-system`"
    ]


def test_server_help_lists_host_and_port():
    result = subprocess.run(
        [sys.executable, "server.py", "run", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "--host" in result.stdout and "--port" in result.stdout and "--debug" in result.stdout
