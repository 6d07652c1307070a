"""GET /metrics: access by address, the scrape-time gauges, the counters the app keeps, and
(under real gunicorn with two workers) counts that add up every worker."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from app.core.logs import JSONLineFormatter
from app.extensions import db
from app.models import Order
from app.models.outbox import DEAD, PENDING
from app.services import orders
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def _samples(text: str) -> dict:
    """{(sample name, sorted label items): value} of a scrape."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return _samples(response.get_data(as_text=True))


def test_metrics_refused_outside_the_allowed_addresses(client, make_app):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 1001
    allowed = make_app(METRICS_ALLOW="10.0.0.0/8").test_client()
    assert allowed.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert allowed.get("/metrics").status_code == 404  # loopback is no longer listed


def test_metrics_count_outbox_rows_due_and_dead_at_scrape_time(client):
    factories.make_outbox_message(state=PENDING, next_attempt_time=1)
    factories.make_outbox_message(state=PENDING, next_attempt_time=1)
    factories.make_outbox_message(state=PENDING, next_attempt_time=2**31 - 1)  # not yet due
    factories.make_outbox_message(state=DEAD, next_attempt_time=1)
    samples = _scrape(client)
    assert _value(samples, "shop_outbox_rows", state="due") == 2
    assert _value(samples, "shop_outbox_rows", state="dead") == 1


def test_metrics_count_requests_orders_and_stock_conflicts(client):
    user = factories.make_user()
    factories.make_address(user)
    headers = factories.auth_headers(user)
    product = factories.make_product(stock=3)
    before = _scrape(client)
    for _ in range(3):
        assert client.get(f"/v1/product/{product.id}").status_code == 200
    placed = client.post(
        "/v1/order", json={"products": [{"product_id": product.id, "count": 1}]}, headers=headers
    )
    assert placed.status_code == 201, placed.get_json()
    refused = client.post(
        "/v1/order", json={"products": [{"product_id": product.id, "count": 5}]}, headers=headers
    )
    assert refused.status_code == 409
    order_id = placed.get_json()["data"]["order_id"]
    assert client.put(f"/v1/order/{order_id}/cancel", headers=headers).status_code == 201
    paid = factories.make_order(user, (product, 1))
    factories.pay_order(paid)
    after = _scrape(client)

    def delta(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = {"endpoint": "/v1/product/<int:id>", "method": "GET"}
    assert delta("shop_http_requests_total", status="200", **route) == 3
    assert delta("shop_http_request_duration_seconds_count", **route) == 3
    assert delta("shop_orders_total", event="placed") == 2
    assert delta("shop_orders_total", event="cancelled") == 1
    assert delta("shop_orders_total", event="paid") == 1
    assert delta("shop_stock_conflicts_total") == 1
    # the catalog cache: the first read missed, the next two hit
    assert delta("shop_cache_lookups_total", cache="catalog", result="miss") >= 1
    assert delta("shop_cache_lookups_total", cache="catalog", result="hit") >= 2
    assert 0 < _value(after, "shop_cache_hit_ratio") <= 1


def test_orders_counted_only_when_committed(app):
    user = factories.make_user()
    factories.make_address(user)
    product = factories.make_product(stock=3)
    from app.core import metrics

    before = metrics.ORDERS.labels(event="placed")._value.get()
    order = orders.place_order(user.id, [{"product_id": product.id, "count": 1}])
    assert metrics.ORDERS.labels(event="placed")._value.get() == before + 1
    cancelled = metrics.ORDERS.labels(event="cancelled")._value.get()
    orders.transition(order.id, 1, 7, "system")
    db.session.rollback()
    assert db.session.get(Order, order.id).order_status == 1
    assert metrics.ORDERS.labels(event="cancelled")._value.get() == cancelled


def test_json_log_line_carries_the_request_id(app):
    import logging

    formatter = JSONLineFormatter()
    record = logging.LogRecord("app.x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    with app.test_request_context("/v1/x", headers={"X-Request-ID": "rid-123"}):
        app.preprocess_request()
        line = json.loads(formatter.format(record))
    assert line["message"] == "hello you"
    assert line["request_id"] == "rid-123"
    assert line["level"] == "WARNING"
    assert line["path"] == "/v1/x"
    outside = json.loads(formatter.format(record))
    assert outside["request_id"] == ""


def test_coupon_conflicts_counted_when_a_claim_finds_the_coupon_used_up(client):
    coupon = factories.make_coupon(total=1)
    first, second = factories.make_user(), factories.make_user()
    before = _value(_scrape(client), "shop_coupon_conflicts_total", reason="sold_out")
    claim = f"/v1/coupon/{coupon.id}/claim"
    assert client.post(claim, headers=factories.auth_headers(first)).status_code == 201
    refused = client.post(claim, headers=factories.auth_headers(second))
    assert (refused.status_code, refused.get_json()["error_code"]) == (409, 52020)
    after = _value(_scrape(client), "shop_coupon_conflicts_total", reason="sold_out")
    assert after == before + 1


# ------------------------------------------------------------ two gunicorn workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "FLASK_", "WX_"))}
    env.update(
        ENV_MODE="development",
        SECRET_KEY=app.config["SECRET_KEY"],  # tokens the test issues are the server's
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
        RATELIMIT_ENABLED="false",
        LOG_FORMAT="json",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        WEB_CONCURRENCY="2",
        GUNICORN_MAX_REQUESTS="0",
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "server:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, log_path.read_text(errors="replace")[-4000:]
                assert time.monotonic() < deadline, "gunicorn did not answer"
                try:
                    if requests.get(url + "/health", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.3)
            yield url, log_path
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _pids(log_path: Path, path: str) -> set[str]:
    lines = [line for line in log_path.read_text(errors="replace").splitlines() if path in line]
    return {line.rsplit("pid=", 1)[1].split()[0] for line in lines if "pid=" in line}


def test_metrics_add_up_two_gunicorn_workers(gunicorn):
    url, log_path = gunicorn
    user = factories.make_user()
    factories.make_address(user)
    headers = factories.auth_headers(user)
    product_id = factories.make_product(stock=4).id
    db.session.remove()
    before = _samples(requests.get(url + "/metrics", timeout=10).text)
    # Concurrent reads on new connections, in rounds, until the access log shows both workers
    # served some (a lone client can keep landing on one worker).
    read_path = f"/v1/product/{product_id}"
    reads = 0
    with ThreadPoolExecutor(max_workers=6) as pool:
        while reads < 300 and (reads == 0 or len(_pids(log_path, read_path)) < 2):
            statuses = list(
                pool.map(lambda _: requests.get(url + read_path, timeout=10).status_code, range(30))
            )
            assert statuses == [200] * 30
            reads += 30
            time.sleep(0.2)  # let the access log lines reach the file
    placed = []
    for _ in range(3):
        response = requests.post(
            url + "/v1/order",
            json={"products": [{"product_id": product_id, "count": 1}]},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        placed.append(response.json()["data"]["order_id"])
    response = requests.post(
        url + "/v1/order",
        json={"products": [{"product_id": product_id, "count": 2}]},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 409
    response = requests.put(f"{url}/v1/order/{placed[0]}/cancel", headers=headers, timeout=10)
    assert response.status_code == 201
    response = requests.post(
        url + "/v1/pay/notify",
        data=b"{}",
        headers={"Content-Type": "application/json", "X-Request-ID": "metrics-test-rid"},
        timeout=10,
    )
    assert response.status_code in (400, 401)
    after = _samples(requests.get(url + "/metrics", timeout=10).text)

    def delta(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = {"endpoint": "/v1/product/<int:id>", "method": "GET"}
    assert delta("shop_http_requests_total", status="200", **route) == reads
    assert delta("shop_http_request_duration_seconds_count", **route) == reads
    order_route = {"endpoint": "/v1/order", "method": "POST"}
    assert delta("shop_http_requests_total", status="201", **order_route) == 3
    assert delta("shop_http_requests_total", status="409", **order_route) == 1
    assert delta("shop_orders_total", event="placed") == 3
    assert delta("shop_orders_total", event="cancelled") == 1
    assert delta("shop_stock_conflicts_total") == 1
    assert (
        delta(
            "shop_notify_verification_failed_total",
            notify="notify",
            reason="NotifySignatureInvalid",
        )
        == 1
    )
    # the reads were served by both workers, and /metrics still counted every one
    assert len(_pids(log_path, read_path)) == 2
    # LOG_FORMAT=json: the refused notification's warning is one JSON object with its request id
    logged = []
    for line in log_path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            logged.append(json.loads(line))
    refused = [entry for entry in logged if entry.get("request_id") == "metrics-test-rid"]
    assert refused and refused[0]["level"] == "WARNING"
    assert refused[0]["path"] == "/v1/pay/notify"
