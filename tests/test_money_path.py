"""The money path over real HTTP: the server under gunicorn, the fake WeChat in a thread.

Log in by a code, order, prepay, pay (the fake sends the signed notify), deliver, refund (the
fake sends the refund notify), lose a notify, reconcile (the lost payment is repaired), with
the database checked after each step. Runs on the test database (MariaDB with
TEST_DATABASE_URL, else the SQLite file), which the server shares.

The shipping upload and the subscription message go out through the outbox:
`test_delivery_reaches_wechat_through_the_outbox` runs `flask --app server outbox run` and reads
what the fake received.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.fakewechat import FakeServer, env_values, openid_for
from app.models import (
    AfterSale,
    Identity,
    Order,
    OrderStatus,
    OutboxMessage,
    Payment,
    Product,
    Refund,
    User,
)
from app.models.reconcile import ReconcileDay, ReconcileItem
from app.services.wechat_platform import messages
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
S = OrderStatus


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with deploy/gunicorn.conf.py on a loopback port, configured for the fake."""

    def __init__(self, app, tmp_path: Path, port: int, fake_env: dict):
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEST_", "FLASK_", "WECHAT", "WX_"))
        }
        self.env.update(
            fake_env,
            ENV_MODE="development",
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
            RATELIMIT_ENABLED="false",
            LOG_LEVEL="INFO",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"),
            WEB_CONCURRENCY="2",
            GUNICORN_MAX_REQUESTS="0",
        )
        self.log_path = tmp_path / "gunicorn.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "server:app"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                if requests.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-6000:]

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run `flask --app server <args>` with the server's environment."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "server", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def stack(app, tmp_path):
    """(server, fake): the fake's notifications go to the server, the server calls the fake."""
    port = _free_port()
    with FakeServer(
        factories.fake_wechat_identity(), notify_to=f"http://127.0.0.1:{port}", refund_delay=0.2
    ) as fake:
        server = Server(app, tmp_path, port, env_values(fake.settings))
        try:
            server.wait_ready()
            yield server, fake
        finally:
            server.stop()


# ------------------------------------------------------------------ steps


def _api(server, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(method, server.url + path, headers=headers, timeout=30, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.text}\n{server.output()}"
    return response.json()["data"] if response.content else None


def _row(model, **where):
    db.session.rollback()  # a fresh snapshot: the server commits in other processes
    return db.session.scalar(select(model).filter_by(**where))


def _login_by_code(server, fake, code: str):
    token = _api(server, "POST", "/v1/token", json={"type": 200, "account": code})["token"]
    identity = _row(Identity, identifier=openid_for(fake.settings.identity.app_id, code))
    assert identity is not None and identity.type == 200
    return token, identity.user_id


def _admin_token(server):
    admin = factories.make_user(email="boss@example.com", auth=2)
    body = {"type": 101, "account": admin.email, "secret": factories.PASSWORD}
    return _api(server, "POST", "/v1/token", json=body)["token"]


def _order(server, token, product, count):
    data = _api(
        server,
        "POST",
        "/v1/order",
        token,
        json={"products": [{"product_id": product.id, "count": count}]},
    )
    order = _row(Order, id=data["order_id"])
    assert order.order_status == S.UNPAID
    return order


def _prepay(server, fake, token, order):
    params = _api(server, "POST", "/v1/pay/pre_order", token, json={"id": order.id})
    trade = fake.state.trades[order.order_no]
    assert params["package"] == f"prepay_id={trade['prepay_id']}"
    assert _row(Order, id=order.id).prepay_id == trade["prepay_id"]
    return trade


def _pay(server, fake, order, notify=True):
    answer = requests.post(
        f"{fake.url}/_fake/pay/{order.order_no}", json={"notify": notify}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if notify:
        assert body["notify"]["status"] == 204, f"{body}\n{server.output()}"
    return body["transaction"]


def _wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _place_paid_order(server, fake, token, product, count):
    order = _order(server, token, product, count)
    _prepay(server, fake, token, order)
    transaction = _pay(server, fake, order)
    assert _row(Order, id=order.id).order_status == S.PAID
    return order, transaction


# ------------------------------------------------------------------ the flow


def test_money_path_runs_against_the_fake_over_http(stack):
    server, fake = stack
    product = factories.make_product(price="12.50", stock=10)

    # log in by a code: the fake's jscode2session gives the openid, the server makes the user
    token, user_id = _login_by_code(server, fake, "alice-code")
    _api(
        server,
        "POST",
        "/v1/address",
        token,
        json={
            "name": "张三",
            "mobile": "13800138000",
            "province": "浙江",
            "city": "杭州",
            "detail": "文三路1号",
            "is_default": True,
        },
    )

    # order, prepay, pay: the signed notification makes the order PAID
    order = _order(server, token, product, 2)
    assert order.user_id == user_id and str(order.total_price) == "25.00"
    trade = _prepay(server, fake, token, order)
    assert trade["payer"]["openid"] == openid_for(fake.settings.identity.app_id, "alice-code")
    assert trade["amount"]["total"] == 2500
    transaction = _pay(server, fake, order)
    paid = _row(Payment, order_id=order.id)
    assert paid.transaction_id == transaction["transaction_id"] and paid.amount == 2500
    assert _row(Order, id=order.id).order_status == S.PAID
    assert _row(Product, id=product.id).stock == 8

    # admin delivery
    admin = _admin_token(server)
    body = {"carrier": "SF", "tracking_no": "SF1234567890"}
    _api(server, "PUT", f"/v2/order/{order.id}/delivery", admin, json=body)
    delivered = _row(Order, id=order.id)
    assert delivered.order_status == S.DELIVERED and delivered.tracking_no == "SF1234567890"

    # a second order is refunded: PROCESSING at first, then the refund notify settles it
    second, _ = _place_paid_order(server, fake, token, product, 1)
    answer = _api(server, "POST", f"/v2/order/{second.id}/refund", admin, json={"reason": "退货"})
    assert answer["order_status"] in (S.REFUNDING, S.REFUNDED)
    assert _wait_for(lambda: _row(Order, id=second.id).order_status == S.REFUNDED), server.output()
    refund = _row(Refund, order_id=second.id)
    assert refund.status == "SUCCESS" and refund.amount == 1250 and refund.refund_id
    assert _row(Product, id=product.id).stock == 8  # the refunded unit is back

    # a third payment's notification is lost: the order stays UNPAID here
    third = _order(server, token, product, 3)
    _prepay(server, fake, token, third)
    lost = _pay(server, fake, third, notify=False)
    assert _row(Order, id=third.id).order_status == S.UNPAID

    # reconcile today's bill: two payments and the refund match, the lost one is repaired
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    done = server.flask("pay", "reconcile", "--date", today.isoformat())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matched=3 missing_local=1 missing_wechat=0" in done.stdout
    report = _row(ReconcileDay, bill_date=today)
    assert (report.bill_rows, report.matched, report.missing_local, report.repaired) == (4, 3, 1, 1)
    assert report.bill_order_total == 2500 + 1250 + 3750 and report.bill_refund_total == 1250
    item = _row(ReconcileItem, day_id=report.id, category="missing_local")
    assert (item.transaction_id, item.repair, item.order_id) == (
        lost["transaction_id"],
        "paid",
        third.id,
    )
    assert _row(Order, id=third.id).order_status == S.PAID
    assert _row(Payment, order_id=third.id).transaction_id == lost["transaction_id"]

    # the admin reads the report; a rerun replaces it (the repaired payment now matches)
    page = _api(server, "GET", "/v2/pay/reconcile", admin)
    assert [(day["bill_date"], day["problems"]) for day in page["items"]] == [
        (today.isoformat(), 1)
    ]
    rows = _api(server, "GET", f"/v2/pay/reconcile/{report.id}/items?category=missing_local", admin)
    assert [(row["out_trade_no"], row["bill_amount"], row["repair"]) for row in rows["items"]] == [
        (third.order_no, "37.50", "paid")
    ]
    again = server.flask("pay", "reconcile", "--date", today.isoformat())
    assert again.returncode == 0, again.stdout + again.stderr
    rerun = _row(ReconcileDay, bill_date=today)
    assert (rerun.id, rerun.runs, rerun.matched, rerun.missing_local) == (report.id, 2, 4, 0)
    count = select(func.count()).select_from(ReconcileItem).where(ReconcileItem.day_id == report.id)
    assert db.session.scalar(count) == 4  # the first run's rows were replaced, not added to


def test_delivery_reaches_wechat_through_the_outbox(stack):
    server, fake = stack
    product = factories.make_product(price="9.90", stock=5)
    token, _ = _login_by_code(server, fake, "bob-code")
    openid = openid_for(fake.settings.identity.app_id, "bob-code")
    factories.make_address(db.session.scalar(select(Identity).filter_by(identifier=openid)).user)
    factories.make_config(
        key=messages.ORDER_DELIVERED,
        value='{"template_id": "TPL-SHIPPED", "data": {"character_string1": "{order_no}"}}',
        value_type="json",
    )
    order, transaction = _place_paid_order(server, fake, token, product, 1)
    admin = _admin_token(server)
    body = {"carrier": "SF", "tracking_no": "SF2234567890"}
    _api(server, "PUT", f"/v2/order/{order.id}/delivery", admin, json=body)

    db.session.rollback()
    queued = db.session.scalars(select(OutboxMessage).filter_by(order_id=order.id)).all()
    assert sorted(row.kind for row in queued) == ["message", "shipping"]
    assert {row.state for row in queued} == {"pending"}
    requests.delete(f"{fake.url}/_fake/calls", timeout=10)
    done = server.flask("outbox", "run")
    assert done.returncode == 0, done.stdout + done.stderr

    calls = requests.get(f"{fake.url}/_fake/calls", timeout=10).json()["calls"]
    uploads = [c for c in calls if c["path"] == "/wxa/sec/order/upload_shipping_info"]
    assert uploads, calls
    assert transaction["transaction_id"] in str(uploads[0]["body"]) or order.order_no in str(
        uploads[0]["body"]
    )
    sent = [c for c in calls if c["path"] == "/cgi-bin/message/subscribe/send"]
    assert [(c["body"]["touser"], c["body"]["template_id"]) for c in sent] == [
        (openid, "TPL-SHIPPED")
    ]
    assert sent[0]["body"]["data"] == {"character_string1": {"value": order.order_no}}
    db.session.rollback()
    rows = db.session.scalars(select(OutboxMessage).filter_by(order_id=order.id)).all()
    assert {row.state for row in rows} == {"sent"}
    again = server.flask("outbox", "run")  # nothing is sent twice
    assert again.returncode == 0, again.stdout + again.stderr
    calls = requests.get(f"{fake.url}/_fake/calls", timeout=10).json()["calls"]
    assert len([c for c in calls if c["path"] == "/wxa/sec/order/upload_shipping_info"]) == 1


def test_after_sale_partial_refund_through_the_fake(stack):
    server, fake = stack
    product = factories.make_product(price="3.00", stock=9)
    token, user_id = _login_by_code(server, fake, "carol-code")
    factories.make_address(db.session.get(User, user_id))
    order, _ = _place_paid_order(server, fake, token, product, 3)
    line = _api(server, "GET", f"/v1/order/{order.id}", token)["lines"][0]
    asked = _api(
        server,
        "POST",
        "/v1/aftersale",
        token,
        json={
            "order_id": order.id,
            "type": 1,
            "lines": [{"order_product_id": line["order_product_id"], "count": 1}],
            "reason": "少了一个",
        },
    )
    assert asked["amount"] == "3.00"
    admin = _admin_token(server)
    answer = _api(server, "PUT", f"/v2/aftersale/{asked['id']}/approve", admin, json={})
    assert answer["status"] in (4, 5)  # REFUNDING until the fake's notify settles it
    assert _wait_for(lambda: _row(AfterSale, id=asked["id"]).status == 5), server.output()
    refund = _row(Refund, after_sale_id=asked["id"])
    assert (refund.status, refund.amount) == ("SUCCESS", 300)
    at_fake = fake.state.refunds[refund.out_refund_no]
    assert at_fake["amount"]["refund"] == 300 and at_fake["amount"]["total"] == 900
    stored = _row(Order, id=order.id)
    assert stored.order_status == S.PAID and str(stored.refunded_amount) == "3.00"
