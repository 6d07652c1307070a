"""Throttling: Flask-Limiter limits from config, 429 envelopes with Retry-After, shared storage.

Every test builds its own rate-limited app on the session database (the testing config switches
limiting off); the limiter keeps its switch and storage per app (app/extensions.py).
"""

import os
import uuid

import pytest
from flask_limiter.util import get_qualified_name

from app.core import limits
from app.extensions import db, limiter
from app.models import LoginLog
from tests import factories
from tests.security.helpers import call, extra_app, routes

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
LOGIN = "/v1/token"

# limit object -> (config key, keyed per user?)
NAMED_LIMITS = {
    "limit_login": ("RATELIMIT_LOGIN", False),
    "limit_register": ("RATELIMIT_REGISTER", False),
    "limit_refresh": ("RATELIMIT_REFRESH", False),
    "limit_order": ("RATELIMIT_ORDER", True),
    "limit_prepay": ("RATELIMIT_PREPAY", True),
    "limit_upload": ("RATELIMIT_UPLOAD", True),
    "limit_redeem": ("RATELIMIT_REDEEM", True),
    "limit_identifier": ("RATELIMIT_IDENTIFIER", True),
    "limit_identifier_ip": ("RATELIMIT_IDENTIFIER_IP", False),
}


@pytest.fixture
def limited(app):
    """A factory of rate-limited apps (memory storage unless told otherwise)."""

    def build(**overrides):
        settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
        settings.update(overrides)
        return stack.enter_context(extra_app(app, **settings))

    from contextlib import ExitStack

    with ExitStack() as stack:
        yield build


@pytest.fixture(params=["memory", "redis"])
def storage(request):
    """Settings of the rate-limit storage: memory, and Redis when TEST_REDIS_URL is set."""
    if request.param == "memory":
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    return {
        "RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }


def _login(client, account, secret=factories.PASSWORD, ip="10.0.0.1"):
    return client.post(
        LOGIN,
        json={"type": 101, "account": account, "secret": secret},
        environ_base={"REMOTE_ADDR": ip},
    )


def _assert_throttled(response, path):
    assert response.status_code == 429, response.get_json()
    body = response.get_json()
    assert body["error_code"] == 1008
    assert body["request_url"].endswith(path)
    assert body["msg"] == "Too many requests, try again later"
    retry = int(response.headers["Retry-After"])
    assert 1 <= retry <= 60


def test_testing_config_leaves_limits_off(app, client, customer):
    for _ in range(15):
        assert _login(client, customer.email, "wrong-password").status_code == 401
    with app.app_context():
        assert limiter.enabled is False


def test_login_over_ip_limit_answers_429_envelope(limited, customer):
    client = limited(RATELIMIT_LOGIN="3/minute", RATELIMIT_LOGIN_FAILED_ACCOUNT="100/minute")
    client = client.test_client()
    answers = [_login(client, customer.email).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    throttled = _login(client, customer.email)
    _assert_throttled(throttled, LOGIN)
    assert throttled.get_json()["request_url"] == "POST /v1/token"
    # the throttled attempt never reached the login service: no login log row for it
    db.session.rollback()  # a fresh snapshot (MariaDB's repeatable read)
    assert db.session.query(LoginLog).count() == 3


def test_login_limit_is_per_ip(limited, customer):
    client = limited(RATELIMIT_LOGIN="2/minute").test_client()
    assert _login(client, customer.email, ip="10.0.0.1").status_code == 200
    assert _login(client, customer.email, ip="10.0.0.1").status_code == 200
    assert _login(client, customer.email, ip="10.0.0.1").status_code == 429
    assert _login(client, customer.email, ip="10.0.0.2").status_code == 200


def test_limited_app_does_not_switch_limits_on_for_other_apps(app, limited, customer):
    limited_client = limited(RATELIMIT_LOGIN="1/minute").test_client()
    assert _login(limited_client, customer.email).status_code == 200
    assert _login(limited_client, customer.email).status_code == 429
    plain = app.test_client()
    assert [_login(plain, customer.email).status_code for _ in range(3)] == [200, 200, 200]


def test_failed_logins_per_account_locked_even_with_right_password(limited, customer):
    client = limited(RATELIMIT_LOGIN="100/minute", RATELIMIT_LOGIN_FAILED_ACCOUNT="3/minute")
    client = client.test_client()
    for n in range(3):
        # from different IPs: the account counter is not per IP
        assert _login(client, customer.email, "wrong-password", ip=f"10.0.1.{n}").status_code == 401
    locked = _login(client, customer.email, ip="10.0.1.99")
    _assert_throttled(locked, LOGIN)
    assert "token" not in (locked.get_json().get("data") or {})


def test_failed_logins_unknown_account_locked_alike(limited):
    client = limited(RATELIMIT_LOGIN="100/minute", RATELIMIT_LOGIN_FAILED_ACCOUNT="2/minute")
    client = client.test_client()
    answers = [_login(client, "nobody@example.com", "x-wrong-pass").status_code for _ in range(3)]
    assert answers == [401, 401, 429]


def test_successful_logins_do_not_count_against_account(limited, customer):
    client = limited(RATELIMIT_LOGIN="100/minute", RATELIMIT_LOGIN_FAILED_ACCOUNT="2/minute")
    client = client.test_client()
    answers = [_login(client, customer.email).status_code for _ in range(6)]
    assert answers == [200] * 6


def test_failed_login_helpers_count_only_failures(limited, customer):
    limited_app = limited(RATELIMIT_LOGIN_FAILED_ACCOUNT="2/minute")
    from app.core.exceptions import TooManyRequests

    with limited_app.test_request_context(LOGIN, method="POST"):
        limits.check_login_failures(customer.email, customer)
        limits.count_login_failure(customer.email, customer)
        limits.count_login_failure("CUSTOMER@example.com ", customer)  # same user, any spelling
        with pytest.raises(TooManyRequests) as raised:
            limits.check_login_failures(customer.email, customer)
        assert 1 <= int(raised.value.extra_headers["Retry-After"]) <= 61
        # another account is untouched; an unknown account is keyed by what was typed
        limits.check_login_failures("other@example.com", None)
        limits.count_login_failure(" Ghost@Example.com", None)
        limits.count_login_failure("ghost@example.com", None)
        with pytest.raises(TooManyRequests):
            limits.check_login_failures("GHOST@example.com", None)


def test_failed_login_helpers_do_nothing_when_disabled(app, customer):
    with app.test_request_context(LOGIN, method="POST"):
        for _ in range(20):
            limits.count_login_failure(customer.email, customer)
        limits.check_login_failures(customer.email, customer)


def _decorated_routes(limited_app, limit_name):
    limit = getattr(limits, limit_name)
    found = []
    for route in routes(limited_app, "/v1", "/v2"):
        view = limited_app.view_functions[route.endpoint]
        decorated = limiter.limit_manager._decorated_limits.get(get_qualified_name(view), ())
        if any(item is limit for item in decorated):
            found.append(route)
    return found


@pytest.mark.parametrize("limit_name", sorted(NAMED_LIMITS))
def test_named_limit_throttles_every_route_wearing_it(limited, limit_name, customer):
    key, per_user = NAMED_LIMITS[limit_name]
    limited_app = limited(**{key: "2/minute"})
    found = _decorated_routes(limited_app, limit_name)
    if not found:
        pytest.skip(f"no route wears {limit_name} yet")
    print(f"{limit_name}: {[str(r) for r in found]}")
    admin = factories.make_user(auth=2)
    for route in found:
        if route.rule.startswith(("/v2/", "/cms/")):
            headers = factories.auth_headers(admin)
        elif per_user or route.kind != "public":
            headers = factories.auth_headers(customer)
        else:
            headers = {}
        client = limited_app.test_client()
        path = route.path(999999)
        statuses = [call(client, route, path, headers).status_code for _ in range(2)]
        assert 429 not in statuses, (str(route), statuses)
        _assert_throttled(call(client, route, path, headers), path)
        with limited_app.app_context():
            limiter.reset()


@pytest.mark.parametrize(
    "limit_name", sorted(name for name, (_, per_user) in NAMED_LIMITS.items() if per_user)
)
def test_user_keyed_limit_is_per_account_not_per_ip(limited, limit_name, customer, other_customer):
    key, _ = NAMED_LIMITS[limit_name]
    limited_app = limited(**{key: "1/minute"})
    found = _decorated_routes(limited_app, limit_name)
    if not found:
        pytest.skip(f"no route wears {limit_name} yet")
    route = found[0]
    client = limited_app.test_client()
    first, second = factories.auth_headers(customer), factories.auth_headers(other_customer)
    path = route.path(999999)
    assert call(client, route, path, first).status_code != 429
    # the same account from another IP is still throttled...
    method = getattr(client, route.method.lower())
    kwargs = {"json": {}} if route.method in ("POST", "PUT") else {}
    again = method(path, headers=first, environ_base={"REMOTE_ADDR": "10.9.9.9"}, **kwargs)
    assert again.status_code == 429
    # ...while another account from the first IP is not
    assert call(client, route, path, second).status_code != 429


@pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_redis_storage_shares_the_limit_between_two_apps(limited, customer):
    prefix = f"test-{uuid.uuid4().hex}"
    settings = {
        "RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "RATELIMIT_LOGIN": "3/minute",
    }
    first, second = limited(**settings), limited(**settings)
    a, b = first.test_client(), second.test_client()
    assert _login(a, customer.email).status_code == 200
    assert _login(b, customer.email).status_code == 200
    assert _login(a, customer.email).status_code == 200
    _assert_throttled(_login(b, customer.email), LOGIN)
    _assert_throttled(_login(a, customer.email), LOGIN)
    with first.app_context():
        limiter.storage.reset()


def test_rate_limit_storage_uri_comes_from_config(limited):
    memory_app = limited()
    with memory_app.app_context():
        assert type(limiter.storage).__name__ == "MemoryStorage"
    if TEST_REDIS_URL:
        redis_app = limited(RATELIMIT_STORAGE_URI=TEST_REDIS_URL)
        with redis_app.app_context():
            assert type(limiter.storage).__name__ == "RedisStorage"
            assert limiter.storage.check()


def test_limits_fail_open_when_the_storage_is_down(limited, customer):
    """RATELIMIT_SWALLOW_ERRORS (default true): a dead Redis never locks customers out."""
    client = limited(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_LOGIN="1/minute"
    ).test_client()
    assert _login(client, customer.email).status_code == 200
    assert _login(client, customer.email).status_code == 200
    assert _login(client, customer.email, "wrong-password").status_code == 401


def test_storage_errors_surface_when_not_swallowed(limited, customer):
    client = limited(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_SWALLOW_ERRORS=False
    ).test_client()
    response = _login(client, customer.email)
    assert response.status_code == 500
    assert response.get_json()["error_code"] == 999


# ------------------------------------------- failed logins per (account, IP) and per account


def test_failed_logins_from_one_ip_leave_the_owner_in_from_another(limited, storage, customer):
    """The shipped policy (config.ini): 5 failures per account and IP, a higher account ceiling."""
    client = limited(RATELIMIT_LOGIN="100/minute", **storage).test_client()
    attacker = [_login(client, customer.email, "wrong-password", ip="10.0.2.1") for _ in range(7)]
    assert [r.status_code for r in attacker] == [401] * 5 + [429] * 2
    _assert_throttled(attacker[-1], LOGIN)
    # even the right password is refused from the guessing address...
    assert _login(client, customer.email, ip="10.0.2.1").status_code == 429
    # ...while the owner, from their own address, logs in
    owner = _login(client, customer.email, ip="10.0.2.2")
    assert owner.status_code == 200, owner.get_json()
    assert owner.get_json()["data"]["token"]


def test_failed_logins_over_many_ips_meet_the_account_ceiling(limited, storage, customer):
    client = limited(
        RATELIMIT_LOGIN="100/minute",
        RATELIMIT_LOGIN_FAILED_ACCOUNT_IP="3/minute",
        RATELIMIT_LOGIN_FAILED_ACCOUNT="5/minute",
        **storage,
    ).test_client()
    answers = [
        _login(client, customer.email, "wrong-password", ip=f"10.0.3.{n % 3}").status_code
        for n in range(6)
    ]
    assert answers == [401] * 5 + [429]
    _assert_throttled(_login(client, customer.email, ip="10.0.3.99"), LOGIN)


def test_failed_login_limits_back_off_to_the_longer_window(limited, storage, customer):
    from app.core.exceptions import TooManyRequests

    limited_app = limited(
        RATELIMIT_LOGIN_FAILED_ACCOUNT_IP="2/minute;3/hour",
        RATELIMIT_LOGIN_FAILED_ACCOUNT="100/minute",
        **storage,
    )
    environ = {"REMOTE_ADDR": "10.0.4.1"}
    with limited_app.test_request_context(LOGIN, method="POST", environ_base=environ):
        for _ in range(2):
            limits.count_login_failure(customer.email, customer)
        with pytest.raises(TooManyRequests) as first:
            limits.check_login_failures(customer.email, customer)
        assert int(first.value.extra_headers["Retry-After"]) <= 61
        limits.count_login_failure(customer.email, customer)
        with pytest.raises(TooManyRequests) as second:
            limits.check_login_failures(customer.email, customer)
        assert int(second.value.extra_headers["Retry-After"]) > 600  # the hour window
    with limited_app.test_request_context(LOGIN, environ_base={"REMOTE_ADDR": "10.0.4.2"}):
        limits.check_login_failures(customer.email, customer)  # another address: not locked
        limiter.reset()


def _change_password(client, headers, old, ip="10.0.5.1"):
    body = {"old_password": old, "new_password": "brand-new-pass1", "confirm_password": ""}
    body["confirm_password"] = body["new_password"]
    return client.put(
        "/v1/user/password", json=body, headers=headers, environ_base={"REMOTE_ADDR": ip}
    )


def test_wrong_old_passwords_count_as_failed_logins(limited, storage, customer):
    client = limited(
        RATELIMIT_LOGIN="100/minute", RATELIMIT_LOGIN_FAILED_ACCOUNT_IP="3/minute", **storage
    ).test_client()
    headers = factories.auth_headers(customer)
    answers = [_change_password(client, headers, "wrong-old-pass") for _ in range(3)]
    assert [r.get_json()["error_code"] for r in answers] == [20040] * 3
    # the stolen token cannot guess further, not even with the right password...
    _assert_throttled(_change_password(client, headers, factories.PASSWORD), "/v1/user/password")
    # ...and the same counter locks the login from that address, not from the owner's
    assert _login(client, customer.email, ip="10.0.5.1").status_code == 429
    assert _login(client, customer.email, ip="10.0.5.2").status_code == 200
    changed = _change_password(client, headers, factories.PASSWORD, ip="10.0.5.2")
    assert changed.status_code == 201, changed.get_json()


# ------------------------------------------------------- identifier oracles


def test_identifier_changes_are_throttled_per_user(limited, storage, customer, other_customer):
    client = limited(
        RATELIMIT_IDENTIFIER="3/minute", RATELIMIT_IDENTIFIER_IP="100/minute", **storage
    ).test_client()
    headers = factories.auth_headers(customer)
    taken = {"email": other_customer.email}
    mobile = {"type": 102, "account": "13800000000"}
    elsewhere = {"REMOTE_ADDR": "10.0.6.9"}
    assert client.put("/v1/user", json=taken, headers=headers).status_code == 409
    assert client.put("/v1/user/bind", json=mobile, headers=headers).status_code == 201
    assert (
        client.put("/v1/user", json=taken, headers=headers, environ_base=elsewhere).status_code
        == 409
    )
    # one counter for both routes, whatever the address
    bind = {"type": 100, "account": "some_name"}
    _assert_throttled(client.put("/v1/user/bind", json=bind, headers=headers), "/v1/user/bind")
    _assert_throttled(client.put("/v1/user", json=taken, headers=headers), "/v1/user")
    other = client.put(
        "/v1/user", json={"nickname": "x"}, headers=factories.auth_headers(other_customer)
    )
    assert other.status_code == 201


def test_identifier_changes_are_throttled_per_ip(limited, storage, customer, other_customer):
    client = limited(
        RATELIMIT_IDENTIFIER="100/minute", RATELIMIT_IDENTIFIER_IP="2/minute", **storage
    ).test_client()
    first, second = factories.auth_headers(customer), factories.auth_headers(other_customer)
    probe = {"email": "someone@example.com"}
    assert client.put("/v1/user", json=probe, headers=first).status_code == 201
    assert client.put("/v1/user", json=probe, headers=second).status_code == 409
    # many accounts from one address share its allowance
    _assert_throttled(client.put("/v1/user/bind", json=probe, headers=second), "/v1/user/bind")
    elsewhere = {"REMOTE_ADDR": "10.0.6.2"}
    nickname = {"nickname": "n"}
    response = client.put("/v1/user", json=nickname, headers=second, environ_base=elsewhere)
    assert response.status_code == 201
