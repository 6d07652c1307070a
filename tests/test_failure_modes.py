"""Failure modes: the database going away (and coming back), WeChat failing, crashes mid-order."""

import os
import select
import socket
import threading

import pytest
import requests
import responses
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import ErrorLog, Order, Product, User
from tests import factories
from tests.security.helpers import extra_app, snapshot

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
CLOSED_PORT_URL = "mysql+pymysql://root@127.0.0.1:1/x"


def _assert_unavailable(response, path):
    body = response.get_json()
    assert response.status_code == 503, body
    assert body == {
        "error_code": 1009,
        "msg": "Service temporarily unavailable",
        "request_url": f"GET {path}",
    }


# ------------------------------------------------------------ database down


def test_database_unreachable_answers_503_everywhere(app):
    with extra_app(app, DATABASE_URL=CLOSED_PORT_URL) as down:
        client = down.test_client()
        _assert_unavailable(client.get("/health"), "/health")
        _assert_unavailable(client.get("/v1/category/all"), "/v1/category/all")
        # the token check itself needs the database: still a 503, never a 401 or a 500
        with down.app_context():
            token = factories.token_for(
                type("U", (), {"id": 1, "scope": "user", "token_version": 0})
            )
        headers = {"Authorization": f"Bearer {token}"}
        _assert_unavailable(client.get("/v1/user", headers=headers), "/v1/user")
        response = client.post(
            "/v1/token", json={"type": 101, "account": "a@b.c", "secret": "whatever-1"}
        )
        assert response.status_code == 503
        assert response.get_json()["error_code"] == 1009
        assert response.headers["X-Content-Type-Options"] == "nosniff"


class TcpProxy:
    """A loopback TCP forwarder that can be cut (every connection dropped) and restored."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener = None
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.2)
        self._listener = listener
        self._running = True
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept(self):
        listener = self._listener
        while self._running:
            try:
                downstream, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                downstream.close()
                continue
            with self._lock:
                self._sockets += [downstream, upstream]
            pump = threading.Thread(target=self._pump, args=(downstream, upstream), daemon=True)
            pump.start()
            self._threads.append(pump)

    def _pump(self, a, b):
        try:
            while self._running:
                ready, _, _ = select.select([a, b], [], [], 0.2)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except OSError:
            return
        finally:
            for sock in (a, b):
                sock.close()

    def stop(self):
        self._running = False
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets = []
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = []


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("mysql"), reason="needs TEST_DATABASE_URL on MariaDB"
)
def test_app_recovers_when_the_database_returns(app):
    url = make_url(TEST_DATABASE_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 3306)
    proxy.start()
    try:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with extra_app(app, DATABASE_URL=proxied) as flaky:
            client = flaky.test_client()
            assert client.get("/health").status_code == 200
            assert client.get("/v1/category/all").status_code == 200
            proxy.stop()  # the database goes away under pooled connections
            _assert_unavailable(client.get("/health"), "/health")
            _assert_unavailable(client.get("/v1/notice/list"), "/v1/notice/list")
            proxy.start()  # ...and comes back
            assert client.get("/health").get_json()["data"] == {"status": "ok", "database": "ok"}
            assert client.get("/v1/notice/list").status_code == 200
    finally:
        proxy.stop()


def test_health_is_ok_with_the_database_up(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"status": "ok", "database": "ok"}


# ---------------------------------------------------------------- WeChat login

FAILURES = {
    "timeout": {"body": requests.exceptions.ConnectTimeout("timed out")},
    "http-500": {"status": 500, "body": "upstream error"},
    "http-502": {"status": 502, "json": {}},
    "garbage": {"status": 200, "body": "<html>not json</html>"},
    "json-array": {"status": 200, "json": [1, 2]},
    "no-openid": {"status": 200, "json": {"session_key": "k"}},
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_wechat_login_failures_are_a_clear_502(app, client, failure):
    users = db.session.query(User).count()
    with factories.wechat_configured(app) as mock:
        mock.add("GET", factories.JSCODE2SESSION_URL, **FAILURES[failure])
        response = client.post("/v1/token", json={"type": 200, "account": "wx-code-1"})
    body = response.get_json()
    assert response.status_code == 502, body
    assert body["error_code"] == 11030
    assert "Traceback" not in body["msg"]
    assert db.session.query(User).count() == users


# ---------------------------------------------------------------- WeChat Pay


@pytest.fixture
def wechat_pay(app, monkeypatch):
    if not hasattr(factories, "FakeWeChatPay"):
        pytest.skip("tests.factories.FakeWeChatPay does not exist yet")
    return factories.FakeWeChatPay().install(app, monkeypatch)


PAY_FAILURES = {
    "timeout": lambda fake: {"body": requests.exceptions.ReadTimeout("timed out")},
    "connection": lambda fake: {"body": requests.exceptions.ConnectionError("refused")},
    "http-500": lambda fake: {"status": 500, "body": "oops"},
    "garbage-unsigned": lambda fake: {"status": 200, "body": "not json at all"},
}


@pytest.mark.parametrize("failure", sorted(PAY_FAILURES))
def test_pre_order_wechat_pay_failures_leave_the_order_unchanged(
    app, client, wechat_pay, customer, failure
):
    factories.make_wx_identity(customer)
    product = factories.make_product(stock=5)
    order = factories.make_order(customer, (product, 2))
    before = snapshot(Order, order.id)
    jsapi = f"{factories.FakeWeChatPay.BASE}/v3/pay/transactions/jsapi"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add("POST", jsapi, **PAY_FAILURES[failure](wechat_pay))
        response = client.post(
            "/v1/pay/pre_order", json={"id": order.id}, headers=factories.auth_headers(customer)
        )
    body = response.get_json()
    assert response.status_code == 502, body
    assert body["error_code"] == 70030
    assert snapshot(Order, order.id) == before
    assert snapshot(Product, product.id)["stock"] == 3


def test_pay_query_timeout_leaves_the_order_unpaid(app, client, wechat_pay, customer):
    factories.make_wx_identity(customer)
    product = factories.make_product(stock=5)
    order = factories.make_order(customer, (product, 1), prepay_id="wx-prepay-1")
    before = snapshot(Order, order.id)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(
            responses.GET,
            f"{factories.FakeWeChatPay.BASE}/v3/pay/transactions/out-trade-no/{order.order_no}",
            body=requests.exceptions.ReadTimeout("timed out"),
        )
        response = client.post(
            "/v1/pay/query", json={"id": order.id}, headers=factories.auth_headers(customer)
        )
    assert response.status_code == 502, response.get_json()
    assert response.get_json()["error_code"] == 70030
    assert snapshot(Order, order.id)["order_status"] == before["order_status"] == 1


# ------------------------------------------------------------ crash mid-order


def _place(client, customer, product, count):
    return client.post(
        "/v1/order",
        json={"products": [{"product_id": product.id, "count": count}]},
        headers=factories.auth_headers(customer),
    )


def test_crash_after_reserving_stock_loses_nothing(app, client, customer, monkeypatch):
    from app.services.orders import placement

    factories.make_address(customer)
    product = factories.make_product(stock=10)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut between reserving stock and writing the order")

    monkeypatch.setattr(placement, "build_snapshot", crash)
    response = _place(client, customer, product, 3)
    assert response.status_code == 500
    assert response.get_json() == {
        "error_code": 999,
        "msg": "Internal server error",
        "request_url": "POST /v1/order",
    }
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 10
    assert db.session.query(Order).count() == 0
    assert db.session.query(ErrorLog).filter_by(exception="RuntimeError").count() == 1


def test_crash_after_commit_before_answering_keeps_order_and_stock_in_step(
    app, client, customer, monkeypatch
):
    from app.schemas.order import PlacedOrder

    factories.make_address(customer)
    product = factories.make_product(stock=10)

    def crash(*args, **kwargs):
        raise RuntimeError("crash while answering")

    monkeypatch.setattr(PlacedOrder, "serialize", crash)  # the answer is built after the commit
    assert _place(client, customer, product, 3).status_code == 500
    db.session.expire_all()
    placed = db.session.query(Order).all()
    reserved = sum(line["count"] for order in placed for line in _lines(order))
    assert db.session.get(Product, product.id).stock + reserved == 10


def _lines(order):
    from app.models import OrderProduct

    return [
        {"count": row.count} for row in db.session.query(OrderProduct).filter_by(order_id=order.id)
    ]
