"""The fake WeChat: its mini-program and WeChat Pay APIs, signatures, notifications, bills.

The WeChat Pay part is driven through the server's own payment and reconcile services against
the fake served from a thread, so the server's verification of the fake's signatures is what
is tested. The mini-program part is called directly (the outbox branch is their client).
"""

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from app.core.exceptions import WeChatCodeInvalid
from app.extensions import db
from app.fakewechat import (
    FakeServer,
    FakeSettings,
    create_fake_app,
    env_values,
    openid_for,
    signing,
)
from app.models import Order, OrderStatus, Refund
from app.services import payment, reconcile, wechat
from tests import factories

S = OrderStatus


@pytest.fixture
def identity():
    return factories.fake_wechat_identity()


@pytest.fixture
def fake_client(identity):
    app = create_fake_app(FakeSettings(identity=identity, risky_words=("违禁", "spam")))
    return app.test_client()


class Receiver:
    """A loopback HTTP endpoint answering 204 and keeping what it was sent."""

    def __init__(self):
        self.received = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _app(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        self.received.append((environ["PATH_INFO"], headers, environ["wsgi.input"].read(length)))
        start_response("204 No Content", [])
        return [b""]

    def close(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def served(app, identity, receiver, monkeypatch):
    """The fake on a loopback port, its notifications sent to `receiver`, and the server app
    configured for it."""
    with FakeServer(identity, notify_to=receiver.url, refund_delay=0.05) as fake:
        for key, value in env_values(fake.settings).items():
            monkeypatch.setitem(app.config, key, value)
        yield fake


def _token(client, identity) -> str:
    body = {
        "grant_type": "client_credential",
        "appid": identity.app_id,
        "secret": identity.app_secret,
    }
    return client.post("/cgi-bin/stable_token", json=body).get_json()["access_token"]


# ------------------------------------------------------------------ the command


def test_print_env_lines_configure_a_server(app, make_app, tmp_path):
    keys = tmp_path / "keys.json"
    args = ["wechat", "fake", "--print-env", "--port", "9123", "--keys", str(keys)]
    args += ["--notify-to", "http://127.0.0.1:5001"]
    first = app.test_cli_runner().invoke(args=args)
    assert first.exit_code == 0, first.output
    assert (keys.stat().st_mode & 0o777) == 0o600
    assert app.test_cli_runner().invoke(args=args).output == first.output  # the same keys
    values = {}
    for line in first.output.splitlines():
        key, _, quoted = line.partition("=")
        assert quoted.startswith("'") and quoted.endswith("'") and "\n" not in quoted
        values[key] = quoted[1:-1]
    assert values["WECHAT_API_BASE"] == values["WECHATPAY_API_BASE"] == "http://127.0.0.1:9123"
    assert values["WECHATPAY_NOTIFY_URL"] == "http://127.0.0.1:5001/v1/pay/notify"
    assert values["WECHATPAY_REFUND_NOTIFY_URL"] == "http://127.0.0.1:5001/v1/pay/refund_notify"
    server = make_app(**values)
    with server.app_context():
        assert payment.is_configured()
        assert payment.client() is not None  # the escaped PEM keys load
        db.session.remove()


# ------------------------------------------------------------------ mini-program


def test_login_codes_map_to_stable_openids_through_the_server(app, served, identity):
    first = wechat.code_to_session("alice")
    assert (
        first.openid
        == openid_for(identity.app_id, "alice")
        == wechat.code_to_session("alice").openid
    )
    assert wechat.code_to_session("bob").openid != first.openid
    with pytest.raises(WeChatCodeInvalid):
        wechat.code_to_session("invalid-code")
    calls = requests.get(f"{served.url}/_fake/calls", timeout=5).json()["calls"]
    assert [c["path"] for c in calls] == ["/sns/jscode2session"] * 4
    assert "secret" not in calls[0]["query"] and calls[0]["query"]["js_code"] == "alice"


def test_jscode2session_checks_the_app(fake_client, identity):
    query = {
        "appid": identity.app_id,
        "secret": "wrong",
        "js_code": "c",
        "grant_type": "authorization_code",
    }
    assert fake_client.get("/sns/jscode2session", query_string=query).get_json()["errcode"] == 40125
    query.update(appid="wx-other", secret=identity.app_secret)
    assert fake_client.get("/sns/jscode2session", query_string=query).get_json()["errcode"] == 40013


def test_stable_token_is_reused_until_forced(fake_client, identity):
    first = _token(fake_client, identity)
    assert _token(fake_client, identity) == first
    body = {"grant_type": "client_credential", "appid": identity.app_id,
            "secret": identity.app_secret, "force_refresh": True}  # fmt: skip
    answer = fake_client.post("/cgi-bin/stable_token", json=body).get_json()
    assert answer["access_token"] != first and answer["expires_in"] == 7200
    wrong = fake_client.post("/cgi-bin/stable_token", json={**body, "secret": "x"}).get_json()
    assert wrong["errcode"] == 40125


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/wxa/sec/order/upload_shipping_info"),
        ("post", "/cgi-bin/message/subscribe/send"),
        ("get", "/cgi-bin/express/delivery/open_msg/get_delivery_list"),
        ("post", "/wxa/msg_sec_check"),
    ],
)
def test_token_routes_refuse_an_unknown_token(fake_client, method, path):
    answer = getattr(fake_client, method)(f"{path}?access_token=nope", json={})
    assert answer.get_json()["errcode"] == 40001


def test_delivery_list_names_the_common_carriers(fake_client, identity):
    token = _token(fake_client, identity)
    path = f"/cgi-bin/express/delivery/open_msg/get_delivery_list?access_token={token}"
    for answer in (fake_client.get(path), fake_client.post(path, json={})):
        data = answer.get_json()
        codes = {item["delivery_id"] for item in data["delivery_list"]}
        assert {"SF", "ZTO", "YTO", "STO", "YD", "JD", "EMS"} <= codes
        assert data["errcode"] == 0 and data["count"] == len(data["delivery_list"])


def test_shipping_upload_and_subscription_message(fake_client, identity):
    token = _token(fake_client, identity)
    shipping = {
        "order_key": {"order_number_type": 2, "transaction_id": "4200"},
        "logistics_type": 1,
        "delivery_mode": 1,
        "shipping_list": [{"tracking_no": "SF1", "express_company": "SF", "item_desc": "T恤"}],
        "upload_time": "2026-01-01T12:00:00+08:00",
        "payer": {"openid": "o1"},
    }
    upload = f"/wxa/sec/order/upload_shipping_info?access_token={token}"
    assert fake_client.post(upload, json=shipping).get_json() == {"errcode": 0, "errmsg": "ok"}
    assert fake_client.post(upload, json={"order_key": {}}).get_json()["errcode"] == 47001
    send = f"/cgi-bin/message/subscribe/send?access_token={token}"
    message = {"touser": "o1", "template_id": "T1", "data": {"thing1": {"value": "已发货"}}}
    answer = fake_client.post(send, json=message).get_json()
    assert answer["errcode"] == 0 and answer["msgid"]
    assert fake_client.post(send, json={"touser": "o1"}).get_json()["errcode"] == 47003
    calls = fake_client.get("/_fake/calls").get_json()["calls"]
    assert [(c["method"], c["path"]) for c in calls][-4:] == [
        ("POST", "/wxa/sec/order/upload_shipping_info"),
        ("POST", "/wxa/sec/order/upload_shipping_info"),
        ("POST", "/cgi-bin/message/subscribe/send"),
        ("POST", "/cgi-bin/message/subscribe/send"),
    ]
    assert calls[-2]["body"] == message and isinstance(calls[-2]["time"], float)
    assert fake_client.delete("/_fake/calls").get_json() == {"calls": []}
    assert fake_client.get("/_fake/calls").get_json() == {"calls": []}


@pytest.mark.parametrize(
    "content, suggest",
    [("你好，发货了吗", "pass"), ("含有违禁内容", "risky"), ("buy spam now", "risky")],
)
def test_msg_sec_check_flags_the_configured_words(fake_client, identity, content, suggest):
    token = _token(fake_client, identity)
    body = {"content": content, "version": 2, "scene": 2, "openid": "o1"}
    answer = fake_client.post(f"/wxa/msg_sec_check?access_token={token}", json=body).get_json()
    assert answer["errcode"] == 0 and answer["result"]["suggest"] == suggest
    assert answer["detail"][0]["suggest"] == suggest


def test_msg_sec_check_wants_the_version_2_fields(fake_client, identity):
    token = _token(fake_client, identity)
    body = {"content": "x", "version": 1, "scene": 2, "openid": "o1"}
    answer = fake_client.post(f"/wxa/msg_sec_check?access_token={token}", json=body).get_json()
    assert answer["errcode"] == 47001


# ------------------------------------------------------------------ WeChat Pay


def test_unsigned_or_forged_pay_requests_are_refused(fake_client, identity):
    answer = fake_client.get(f"/v3/pay/transactions/out-trade-no/NO1?mchid={identity.mchid}")
    assert answer.status_code == 401 and answer.get_json()["code"] == "SIGN_ERROR"
    header = (
        f'{signing.SIGNATURE_TYPE} mchid="{identity.mchid}",nonce_str="n",signature="AAAA",'
        f'timestamp="{int(time.time())}",serial_no="{identity.merchant_serial}"'
    )
    answer = fake_client.get(
        "/v3/bill/tradebill?bill_date=2026-01-01", headers={"Authorization": header}
    )
    assert answer.status_code == 401 and answer.get_json()["message"] == "signature does not verify"


def test_notifications_pass_the_servers_verification(app, served, identity):
    resource = {"out_trade_no": "NO1", "trade_state": "SUCCESS"}
    headers, body = signing.notification(identity, "TRANSACTION.SUCCESS", "transaction", resource)
    message = payment.verify_notification(headers, body.encode())
    assert message == {"event_type": "TRANSACTION.SUCCESS", "resource": resource}


def _wx_order(identity, price="8.80", count=2):
    user = factories.make_wechat_user(openid_for(identity.app_id, "payer"))
    factories.make_address(user)
    order = factories.make_order(user, (factories.make_product(price=price, stock=9), count))
    return user, order


def test_prepay_pay_query_and_refund_against_the_fake(app, served, identity, super_admin):
    user, order = _wx_order(identity)
    params = payment.pre_order(user, order.id)
    trade = served.state.trades[order.order_no]
    assert params["package"] == f"prepay_id={trade['prepay_id']}"
    assert (trade["amount"]["total"], trade["payer"]["openid"]) == (
        1760,
        openid_for(identity.app_id, "payer"),
    )
    assert payment.pre_order(user, order.id)["package"] == params["package"]  # reused
    assert payment.query_order(user, order.id).order_status == S.UNPAID
    # the customer pays; the notification is lost (no server listens), the query applies it
    paid = requests.post(
        f"{served.url}/_fake/pay/{order.order_no}", json={"notify": False}, timeout=5
    )
    transaction = paid.json()["transaction"]
    assert transaction["trade_state"] == "SUCCESS" and paid.json()["notify"] is None
    assert payment.query_order(user, order.id).order_status == S.PAID
    # a full refund: PROCESSING, settled later by WeChat (here: the query of stuck refunds)
    refunded = payment.request_refund(order.id, super_admin.id, "退货")
    assert refunded.order_status == S.REFUNDING
    time.sleep(0.3)
    assert payment.query_processing_refunds(older_than=0) == 1
    db.session.expire_all()
    refund = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
    assert (refund.status, refund.amount) == ("SUCCESS", 1760)
    assert db.session.get(Order, order.id).order_status == S.REFUNDED
    assert served.state.refunds[refund.out_refund_no]["status"] == "SUCCESS"


def test_the_fakes_bill_reads_back_through_the_server(app, served, identity, super_admin):
    user, order = _wx_order(identity, price="12.50", count=1)
    payment.pre_order(user, order.id)
    requests.post(f"{served.url}/_fake/pay/{order.order_no}", json={"notify": False}, timeout=5)
    payment.query_order(user, order.id)
    payment.request_refund(order.id, super_admin.id, "")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    bill = reconcile.bill.fetch(today)  # hash checked, parsed by the server's parser
    assert [(row.trade_state, row.out_trade_no, row.amount) for row in bill.rows] == [
        ("SUCCESS", order.order_no, 1250),
        ("REFUND", order.order_no, 1250),
    ]
    assert bill.rows[1].out_refund_no.startswith("R") and bill.rows[1].refund_id
    assert bill.summary["总交易单数"] == "2" and bill.summary_fen("订单总金额") == 1250
    assert reconcile.bill.fetch("2001-01-01").rows == []  # no trade that day: no bill


def test_wechat_pay_errors_of_the_fake(app, served, identity, super_admin):
    user, order = _wx_order(identity)
    payment.pre_order(user, order.id)
    payment.close_transaction(order.order_no)
    assert served.state.trades[order.order_no]["trade_state"] == "CLOSED"
    answer = requests.post(f"{served.url}/_fake/pay/{order.order_no}", timeout=5)
    assert answer.status_code == 409
    assert requests.post(f"{served.url}/_fake/pay/NO-SUCH", timeout=5).status_code == 404
    with pytest.raises(payment.GatewayError) as raised:
        payment.query_transaction("NO-SUCH")
    assert raised.value.status == 404 and raised.value.body["code"] == "ORDER_NOT_EXIST"


def test_payment_and_refund_notifications_reach_the_notify_urls(
    app, served, receiver, identity, super_admin
):
    user, order = _wx_order(identity)
    payment.pre_order(user, order.id)
    first = requests.post(f"{served.url}/_fake/pay/{order.order_no}", timeout=5).json()
    again = requests.post(f"{served.url}/_fake/pay/{order.order_no}", timeout=5).json()
    assert first["notify"]["status"] == again["notify"]["status"] == 204
    assert first["notify"]["url"] == receiver.url + "/v1/pay/notify"
    payment.query_order(user, order.id)
    payment.request_refund(order.id, super_admin.id, "")
    deadline = time.monotonic() + 5
    while len(receiver.received) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    paths = [path for path, _, _ in receiver.received]
    assert paths == ["/v1/pay/notify", "/v1/pay/notify", "/v1/pay/refund_notify"]
    messages = [
        payment.verify_notification(headers, body) for _, headers, body in receiver.received
    ]
    assert [m["event_type"] for m in messages] == ["TRANSACTION.SUCCESS"] * 2 + ["REFUND.SUCCESS"]
    pay, repeat, refund = (m["resource"] for m in messages)
    assert pay == repeat and pay["transaction_id"] == first["transaction"]["transaction_id"]
    assert pay["amount"]["total"] == 1760 and pay["payer"]["openid"] == openid_for(
        identity.app_id, "payer"
    )
    assert (refund["out_trade_no"], refund["refund_status"], refund["amount"]["refund"]) == (
        order.order_no,
        "SUCCESS",
        1760,
    )
