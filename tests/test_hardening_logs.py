"""Hardening of the logs and of what anonymous callers can make the server store or parse:
bounded log excerpts, no error_log rows for client errors, JSON nesting cap, the body cap of
anonymous requests, notify throttling, log retention, and which proxies are believed.
"""

import io
import json
import time

import pytest
from sqlalchemy import select

from app.core import redact
from app.core.errors import record_error
from app.core.exceptions import HTTPError, NotFound
from app.core.json import JSONTooDeep, check_depth, nesting_depth
from app.extensions import db
from app.models import ErrorLog, LoginLog, OperLog, Order, OrderStatus
from tests import factories
from tests.helpers import client_with_routes
from tests.security.helpers import extra_app
from tests.test_hardening import _production


def _count(model) -> int:
    db.session.rollback()  # a fresh snapshot (MariaDB's repeatable read)
    return db.session.query(model).count()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# ------------------------------------------------------------ error_log: 5xx only


def test_unsigned_notify_writes_no_error_log_row(client):
    body = json.dumps({"id": "x", "pad": "p" * 60_000})
    response = client.post("/v1/pay/notify", data=body, content_type="application/json")
    assert response.status_code == 401
    assert response.get_json()["code"] == "FAIL"
    assert _count(ErrorLog) == 0


def test_client_errors_never_write_error_log_rows(client, customer_headers):
    answers = [
        client.get("/v1/no/such/thing").status_code,
        client.put("/v1/token/verify").status_code,
        client.post("/v1/token", data="{bad", content_type="application/json").status_code,
        client.get("/v1/user").status_code,
        client.get("/v2/user/list", headers=customer_headers).status_code,
        client.post("/v1/pay/refund_notify", json={"id": "x"}).status_code,
    ]
    assert answers == [404, 405, 400, 401, 403, 401]
    assert _count(ErrorLog) == 0


def test_record_error_skips_client_errors(app):
    with app.test_request_context("/v1/x", method="POST"):
        record_error(NotFound(), "")
        record_error(HTTPError("Request body is too large", code=413), "")
        assert _count(ErrorLog) == 0
        record_error(RuntimeError("boom"), "trace")
        assert _count(ErrorLog) == 1


@pytest.fixture
def crashing_client(make_app):
    """A client of an app with an extra POST route that fails unexpectedly."""

    def crash():
        from app.core.forms import request_data

        request_data()
        raise RuntimeError("unexpected")

    return client_with_routes(make_app(), {"POST /__test/crash": crash})


def test_error_log_keeps_a_bounded_redacted_excerpt(crashing_client, customer):
    body = {"secret": "s" * 5000, "note": "start"}
    body.update({f"field{n}": "v" * 300 for n in range(200)})
    response = crashing_client.post(
        "/__test/crash?q=" + "q" * 3000, json=body, headers=factories.auth_headers(customer)
    )
    assert response.status_code == 500
    db.session.rollback()  # a fresh snapshot (MariaDB's repeatable read)
    row = db.session.scalars(select(ErrorLog)).one()
    stored = json.dumps(row.request_param, ensure_ascii=False)
    assert len(stored.encode()) <= 4096 + 256
    assert "s" * 50 not in stored
    assert row.request_param["body"]["truncated"] is True
    assert row.request_param["body"]["excerpt"].startswith('{"secret": "***", "note": "start"')
    assert len(row.request_param["query"]["q"]) < 600


def test_redacted_params_bound_any_shape(app):
    deep = {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": 1}}}}}}}}}}
    body = {"deep": deep, "many": list(range(10_000)), "long": "x" * 100_000}
    with app.test_request_context("/v2/x", method="POST", json=body):
        params = redact.redacted_params()
    assert len(json.dumps(params).encode()) <= 4096
    with app.test_request_context("/v2/x", method="POST", json={"a": 1, "password": "p"}):
        assert redact.redacted_params()["body"] == {"a": 1, "password": "***"}


def test_log_excerpt_size_comes_from_config(app):
    body = {f"k{n}": "v" * 100 for n in range(40)}
    with extra_app(app, LOG_PARAM_MAX_BYTES=1000) as small:
        with small.test_request_context("/v2/x", method="POST", json=body):
            params = small.json.loads(json.dumps(redact.redacted_params()))
    assert len(json.dumps(params).encode()) <= 1000
    assert params["body"]["truncated"] is True


# ------------------------------------------------------------ JSON nesting


def test_nesting_depth_ignores_brackets_in_strings():
    assert nesting_depth('{"a": [1, {"b": "[[[{{"}]}') == 3
    assert nesting_depth(b'"\\"[["') == 0
    assert nesting_depth("[]" * 1000) == 1
    assert nesting_depth(_nested(2000)) == 2000
    check_depth(_nested(32), 32)
    with pytest.raises(JSONTooDeep):
        check_depth(_nested(33), 32)


def test_deeply_nested_json_answers_400_without_error_log(client):
    body = '{"type": 101, "account": "a@example.com", "secret": ' + _nested(2000) + "}"
    response = client.post("/v1/token", data=body, content_type="application/json")
    assert response.status_code == 400
    payload = response.get_json()
    assert payload["error_code"] == 1000
    assert payload["msg"] == "JSON nesting is deeper than 32 levels"
    assert _count(ErrorLog) == 0


def test_nesting_cap_is_the_configured_depth(app, client, customer):
    def login(depth):
        body = (
            '{"type": 101, "account": "customer@example.com", "secret": "wrong-password",'
            f' "extra": {_nested(depth - 1)}}}'
        )
        return client.post("/v1/token", data=body, content_type="application/json")

    assert login(32).status_code == 401  # reached the login service
    assert login(33).get_json()["error_code"] == 1000
    with extra_app(app, JSON_MAX_DEPTH=4) as shallow:
        body = json.dumps({"nickname": "n", "x": [[[[1]]]]})
        response = shallow.test_client().put(
            "/v1/user",
            data=body,
            content_type="application/json",
            headers=factories.auth_headers(customer),
        )
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_deep_json_on_an_admin_route_is_400_and_logged_small(client, super_headers):
    body = '{"name": "g", "info": ' + _nested(5000) + "}"
    response = client.post(
        "/v2/group", data=body, content_type="application/json", headers=super_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert _count(ErrorLog) == 0
    (row,) = db.session.scalars(select(OperLog)).all()
    assert row.request_param["body"] == {}


# ------------------------------------------------------------ anonymous body cap


def test_anonymous_body_over_the_cap_answers_413(client):
    body = {"type": 101, "account": "a@example.com", "secret": "x" * 70_000}
    response = client.post("/v1/token", json=body)
    assert response.status_code == 413
    assert response.get_json() == {
        "error_code": 1007,
        "msg": "Request body is too large",
        "request_url": "POST /v1/token",
    }
    unsigned = client.post("/v1/pay/notify", data="x" * 70_000, content_type="application/json")
    assert unsigned.status_code == 413
    assert _count(ErrorLog) == 0


def test_anonymous_chunked_body_over_the_cap_answers_413(client):
    response = client.post(
        "/v1/token",
        input_stream=io.BytesIO(b'{"pad": "' + b"x" * 70_000 + b'"}'),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_base={"wsgi.input_terminated": True},  # as gunicorn sets it for chunked bodies
    )
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 1007


def test_body_cap_does_not_apply_with_a_valid_token(client, customer, super_headers):
    body = {"nickname": "n", "pad": "y" * 70_000}
    response = client.put("/v1/user", json=body, headers=factories.auth_headers(customer))
    assert response.status_code == 201
    upload = client.post(
        "/v2/file",
        data={"file": (io.BytesIO(b"z" * 200_000), "big.txt")},
        headers=super_headers,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_json()
    forged = {"Authorization": "Bearer not-a-token"}
    assert client.put("/v1/user", json=body, headers=forged).status_code == 413


def test_anonymous_body_cap_comes_from_config(app):
    with extra_app(app, ANONYMOUS_MAX_CONTENT_LENGTH=1000) as strict:
        response = strict.test_client().post(
            "/v1/token", json={"type": 101, "account": "a", "secret": "x" * 2000}
        )
    assert response.status_code == 413


# ------------------------------------------------------------ notify throttling


@pytest.fixture
def notify_app(app):
    wechat = factories.FakeWeChatPay()
    with extra_app(
        app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_NOTIFY_FAILED="3/minute",
        **wechat.config(),
    ) as limited:
        yield limited, wechat


def _post_notify(client, wechat, resource, ip, **sign):
    headers, body = wechat.notification("TRANSACTION.SUCCESS", resource, **sign)
    return client.post(
        "/v1/pay/notify", data=body, headers=headers, environ_base={"REMOTE_ADDR": ip}
    )


def test_notify_failures_are_throttled_per_ip_but_verified_ones_pass(notify_app, customer):
    limited, wechat = notify_app
    client = limited.test_client()
    order = factories.make_order(customer, (factories.make_product(price="12.50"), 1))
    forged = wechat.transaction(order)
    answers = [
        _post_notify(client, wechat, forged, "10.1.1.1", key=wechat.forger_key).status_code
        for _ in range(4)
    ]
    assert answers == [401, 401, 401, 429]
    throttled = _post_notify(client, wechat, forged, "10.1.1.1", key=wechat.forger_key)
    assert throttled.get_json()["code"] == "FAIL"
    assert 1 <= int(throttled.headers["Retry-After"]) <= 61
    # another address is not throttled, and a valid notification from the throttled one is
    # still applied (WeChat's retries are never refused)
    other = _post_notify(client, wechat, forged, "10.1.1.2", key=wechat.forger_key)
    assert other.status_code == 401
    valid = _post_notify(client, wechat, wechat.transaction(order), "10.1.1.1")
    assert valid.status_code == 204
    db.session.rollback()
    assert db.session.get(Order, order.id).order_status == OrderStatus.PAID
    retry = _post_notify(client, wechat, wechat.transaction(order), "10.1.1.1")
    assert retry.status_code == 204
    assert _count(ErrorLog) == 0


def test_verified_notifications_never_count_against_the_ip(notify_app, customer):
    limited, wechat = notify_app
    client = limited.test_client()
    order = factories.make_order(customer, (factories.make_product(price="12.50"), 1))
    unknown = wechat.transaction(order, out_trade_no="20990101000000000000")
    answers = [_post_notify(client, wechat, unknown, "10.1.1.3").status_code for _ in range(5)]
    assert answers == [404] * 5
    assert _post_notify(client, wechat, wechat.transaction(order), "10.1.1.3").status_code == 204


# ------------------------------------------------------------ retention


def _log_rows(created: int) -> None:
    db.session.add_all(
        [
            ErrorLog(exception="E", request_param={}, create_time=created),
            OperLog(user_id=1, request_param={}, create_time=created),
            LoginLog(user_name="u", create_time=created),
        ]
    )
    db.session.commit()


def test_logs_purge_deletes_rows_past_their_retention(app):
    day = 86400
    now = int(time.time())
    _log_rows(now - 200 * day)  # past every default retention
    _log_rows(now - 60 * day)  # past the error log's 30 days only
    _log_rows(now - 3600)
    result = app.test_cli_runner().invoke(args=["logs", "purge"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["error_log=2", "oper_log=1", "login_log=1"]
    db.session.expire_all()
    assert _count(ErrorLog) == 1
    assert _count(OperLog) == 2 and _count(LoginLog) == 2


def test_logs_purge_keeps_rows_at_zero_days_and_works_in_batches(app, monkeypatch):
    from app.services import oper_log

    _log_rows(int(time.time()) - 400 * 86400)
    monkeypatch.setitem(app.config, "ERROR_LOG_KEEP_DAYS", 0)
    monkeypatch.setitem(app.config, "LOGIN_LOG_KEEP_DAYS", 1)
    monkeypatch.setattr(oper_log, "PURGE_BATCH", 1)  # several batches
    _log_rows(int(time.time()) - 400 * 86400)
    assert oper_log.purge_old_logs() == {"error_log": 0, "oper_log": 2, "login_log": 2}
    assert _count(ErrorLog) == 2


def test_the_periodic_jobs_run_the_purge():
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[1] / "deploy"
    assert "flask --app server logs purge" in (deploy / "mini-shop-purge.service").read_text()
    assert "OnCalendar=" in (deploy / "mini-shop-purge.timer").read_text()
    assert "flask --app server logs purge" in (deploy / "crontab").read_text()


# ------------------------------------------------------------ trusted proxies


def _login_from(client, remote, forwarded):
    return client.post(
        "/v1/token",
        json={"type": 101, "account": "customer@example.com", "secret": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": remote},
        headers={"X-Forwarded-For": forwarded},
    )


def _last_login_ip() -> str:
    db.session.rollback()
    return db.session.scalars(select(LoginLog.ip_addr).order_by(LoginLog.id.desc())).first()


def _login_limited_app(app, env_mode, trusted_proxies):
    """An app of `env_mode` allowing one login a minute per client IP, behind that many
    trusted proxies."""
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    settings.update(RATELIMIT_LOGIN="1/minute", TRUSTED_PROXIES=trusted_proxies)
    if env_mode == "production":
        return _production(app, **settings)
    return extra_app(app, env_mode=env_mode, **settings)


EVERY_ENV_MODE = pytest.mark.parametrize("env_mode", ["production", "testing"])


@EVERY_ENV_MODE
def test_forwarded_for_is_ignored_without_trusted_proxies(app, customer, env_mode):
    with _login_limited_app(app, env_mode, trusted_proxies=0) as configured:
        client = configured.test_client()
        assert _login_from(client, "10.5.0.1", "203.0.113.1").status_code == 200
        assert _last_login_ip() == "10.5.0.1"
        # a forged X-Forwarded-For does not give the same client a fresh per-IP counter
        assert _login_from(client, "10.5.0.1", "203.0.113.2").status_code == 429


@EVERY_ENV_MODE
def test_forwarded_for_is_believed_for_one_trusted_proxy(app, customer, env_mode):
    with _login_limited_app(app, env_mode, trusted_proxies=1) as configured:
        client = configured.test_client()
        assert _login_from(client, "127.0.0.1", "203.0.113.1").status_code == 200
        assert _last_login_ip() == "203.0.113.1"
        assert _login_from(client, "127.0.0.1", "203.0.113.2").status_code == 200
        # only the entry the trusted proxy added counts; one the client sent is ignored
        assert _login_from(client, "127.0.0.1", "203.0.113.1, 203.0.113.3").status_code == 200
        assert _last_login_ip() == "203.0.113.3"
        assert _login_from(client, "127.0.0.1", "203.0.113.2").status_code == 429
