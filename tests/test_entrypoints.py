"""server.py, fake.py and /health."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import User
from fake import create_super_admin

ROOT = Path(__file__).resolve().parents[1]


def test_health_answers_ok_with_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_database_is_unreachable(make_app):
    app = make_app(DATABASE_URL="mysql+pymysql://root@127.0.0.1:1/none")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["error_code"] == 1009


def test_fake_creates_a_super_admin_once():
    user, created = create_super_admin("Boss@Example.com", "long-enough-password")
    again, created_again = create_super_admin("boss@example.com", "other-password-123")
    assert created and not created_again and again.id == user.id
    row = db.session.scalars(select(User).where(User.email == "boss@example.com")).one()
    assert row.auth == 2 and row.check_password("long-enough-password")


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
