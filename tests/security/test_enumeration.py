"""No user enumeration: login and registration answer alike whatever account exists."""

import statistics
import time

import pytest

from app.config import load_config
from app.extensions import db
from app.models import LoginLog, User
from tests import factories
from tests.helpers import skip_unless_route
from tests.security.helpers import extra_app


def _login(client, account, secret, client_type=101):
    return client.post(
        "/v1/token", json={"type": client_type, "account": account, "secret": secret}
    )


def _answer(response):
    body = response.get_json()
    return response.status_code, body["error_code"], body["msg"], sorted(body)


def test_unknown_account_and_wrong_password_answer_alike(client, customer):
    unknown = _login(client, "nobody@example.com", "wrong-password-1")
    wrong = _login(client, customer.email, "wrong-password-1")
    assert (
        _answer(unknown)
        == _answer(wrong)
        == (
            401,
            1005,
            "Account or password is wrong",
            ["error_code", "msg", "request_url"],
        )
    )
    assert unknown.headers.get("Content-Length") == wrong.headers.get("Content-Length")


def test_passwordless_and_disabled_accounts_with_wrong_password_answer_alike(client):
    wechat_only = factories.make_user(password=None)
    disabled = factories.make_user(active=False)
    reference = _answer(_login(client, "nobody@example.com", "wrong-password-1"))
    assert _answer(_login(client, wechat_only.email, "wrong-password-1")) == reference
    # a disabled account reveals itself only after the password was verified
    assert _answer(_login(client, disabled.email, "wrong-password-1")) == reference
    assert _login(client, disabled.email, factories.PASSWORD).get_json()["error_code"] == 20020


@pytest.mark.parametrize("client_type,field", [(100, "username"), (102, "mobile")])
def test_other_identifiers_answer_alike(client, client_type, field):
    user = factories.make_user(username="known_user", mobile="13812345678")
    unknown_value = {"username": "unknown_user", "mobile": "13812349999"}[field]
    unknown = _login(client, unknown_value, "wrong-password-1", client_type)
    wrong = _login(client, getattr(user, field), "wrong-password-1", client_type)
    assert _answer(unknown) == _answer(wrong)


def test_failed_logins_are_logged_alike(client, customer):
    _login(client, "nobody@example.com", "wrong-password-1")
    _login(client, customer.email, "wrong-password-1")
    rows = db.session.query(LoginLog).order_by(LoginLog.id).all()
    assert len(rows) == 2
    assert [row.status for row in rows] == [False, False]
    assert rows[0].message == rows[1].message


def test_unknown_account_is_not_answered_much_faster(app, customer):
    """A password hash is computed for unknown accounts too (no timing oracle). Timed with the
    production hash method: the testing config's cheap one would hide a skipped check."""
    method = load_config("production")["PASSWORD_HASH_METHOD"]
    with extra_app(app, PASSWORD_HASH_METHOD=method) as strong:
        with strong.app_context():
            db.session.get(User, customer.id).set_password(factories.PASSWORD)
            db.session.commit()
        client = strong.test_client()
        known, unknown = _login_medians(client, customer.email)
    assert unknown > known / 3, f"unknown {unknown * 1000:.1f} ms vs known {known * 1000:.1f} ms"


def _login_medians(client, known_account):
    def median(account):
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            _login(client, account, "wrong-password-1")
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    median(known_account)  # warm up
    return median(known_account), median("nobody@example.com")


def _register(client, **fields):
    body = {"password": "long-enough-1", "confirm_password": "long-enough-1", **fields}
    return client.post("/v1/user", json=body)


def _require_register(app):
    skip_unless_route(app, "POST", "/v1/user")


def test_duplicate_registration_answers_the_same_for_any_identifier(app, client):
    _require_register(app)
    factories.make_user(username="taken_name", email="taken@example.com", mobile="13811112222")
    answers = {
        "username": _register(client, username="taken_name"),
        "email": _register(client, email="taken@example.com"),
        "email-case": _register(client, email="TAKEN@Example.com"),
        "mobile": _register(client, mobile="13811112222"),
        "one-of-three": _register(
            client, username="fresh_name", email="fresh@example.com", mobile="13811112222"
        ),
    }
    shapes = {name: _answer(response) for name, response in answers.items()}
    assert len(set(map(str, shapes.values()))) == 1, shapes
    status, code, msg, _ = shapes["email"]
    assert (status, code) == (409, 2001)
    for word in ("username", "email", "mobile", "user name", "phone"):
        assert word not in msg.lower()
    assert db.session.query(User).count() == 1


def test_registration_with_fresh_identifiers_succeeds(app, client):
    _require_register(app)
    response = _register(client, email="fresh@example.com")
    assert response.status_code == 201, response.get_json()
    assert db.session.query(User).filter_by(email="fresh@example.com").count() == 1
