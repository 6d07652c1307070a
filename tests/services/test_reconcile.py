"""Daily reconciliation: the trade bill parser, the comparison, repairs and the stored report.

WeChat Pay is faked at the HTTP layer (`responses`); bills are written here by hand in the
documented format (header, backtick-prefixed fields, summary lines), not by the fake WeChat.
"""

import gzip
import hashlib
from datetime import date

import pytest
import responses
from sqlalchemy import func, select

from app.core.exceptions import TradeBillHashMismatch, TradeBillMalformed, TradeBillUnavailable
from app.extensions import db
from app.models import Order, OrderStatus, Payment, Refund
from app.models.reconcile import ReconcileDay, ReconcileItem
from app.services import reconcile
from app.services.reconcile import bill as trade_bill
from tests.factories import (
    FakeWeChatPay,
    make_order,
    make_product,
    make_refund,
    pay_order,
)
from tests.helpers import errors_of, needs_mariadb, run_parallel

BASE = FakeWeChatPay.BASE
DAY = date(2026, 1, 1)  # factories.pay_order pays at 2026-01-01 12:00 (Asia/Shanghai)
TODAY_TS = 1767240000
HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注"
)
SUMMARY = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)
S = OrderStatus


def _line(*values) -> str:
    return ",".join("`" + value for value in values)


def paid(transaction_id: str, out_trade_no: str, yuan: str) -> str:
    return _line(
        "2026-01-01 12:00:00", "wx-test-app", FakeWeChatPay.MCHID, "0", "", transaction_id,
        out_trade_no, "openid-x", "JSAPI", "SUCCESS", "OTHERS", "CNY", yuan, "0.00", "0", "0",
        "0.00", "0.00", "", "", "商品, 规格", "", "0.00000", "0.60%", yuan, "0.00", "",
    )  # fmt: skip


def refunded(transaction_id, out_trade_no, refund_id, out_refund_no, yuan, state="SUCCESS"):
    return _line(
        "2026-01-01 13:00:00", "wx-test-app", FakeWeChatPay.MCHID, "0", "", transaction_id,
        out_trade_no, "openid-x", "JSAPI", "REFUND", "OTHERS", "CNY", "0.00", "0.00", refund_id,
        out_refund_no, yuan, "0.00", "ORIGINAL", state, "商品", "", "-0.00000", "0.60%", "0.00",
        yuan, "",
    )  # fmt: skip


def bill_text(*lines: str, summary: str | None = None) -> str:
    totals = summary or _line(str(len(lines)), "0.00", "0.00", "0.00", "0.00000", "0.00", "0.00")
    return "\r\n".join([HEADER, *lines, SUMMARY, totals]) + "\r\n"


@pytest.fixture
def wechat(app, monkeypatch):
    return FakeWeChatPay().install(app, monkeypatch)


def serve_bill(wechat, text: str, *, hash_value=None, url=None):
    """The tradebill answer (signed) and the gzip download of `text`."""
    data = text.encode("utf-8")
    answer = {
        "download_url": url or f"{BASE}/v3/billdownload/file?token=t1",
        "hash_type": "SHA1",
        "hash_value": hash_value or hashlib.sha1(data).hexdigest(),
    }
    responses.add_callback(
        responses.GET, f"{BASE}/v3/bill/tradebill", callback=wechat.answer(200, answer)
    )
    responses.add(
        responses.GET,
        f"{BASE}/v3/billdownload/file",
        body=gzip.compress(data),
        content_type="application/octet-stream",
    )


def answer_query(wechat, order, status=200, **transaction):
    body = (
        wechat.transaction(order, **transaction) if status == 200 else {"code": "ORDER_NOT_EXIST"}
    )
    responses.add_callback(
        responses.GET,
        f"{BASE}/v3/pay/transactions/out-trade-no/{order.order_no}",
        callback=wechat.answer(status, body),
    )


def paid_order(user, price="8.00"):
    order = make_order(user, (make_product(price=price, stock=5), 1))
    pay_order(order)
    return db.session.get(Order, order.id)


def _items(report) -> list[tuple]:
    rows = db.session.scalars(
        select(ReconcileItem).where(ReconcileItem.day_id == report.id).order_by(ReconcileItem.id)
    )
    return [
        (r.category, r.kind, r.out_trade_no, r.bill_amount, r.local_amount, r.repair) for r in rows
    ]


def _reports() -> int:
    return db.session.scalar(select(func.count()).select_from(ReconcileDay))


# ------------------------------------------------------------------ the parser


def test_parse_reads_payments_refunds_and_summary():
    text = "\ufeff" + bill_text(
        paid("4200000001", "NO1", "12.50"),
        refunded("4200000001", "NO1", "5000000001", "RNO1-1", "2.50"),
        summary=_line("2", "12.50", "2.50", "0.00", "0.06000", "12.50", "2.50"),
    )
    bill = trade_bill.parse(text)
    payment, refund = bill.rows
    assert (payment.transaction_id, payment.out_trade_no, payment.amount) == (
        "4200000001",
        "NO1",
        1250,
    )
    assert not payment.is_refund and payment.trade_time == "2026-01-01 12:00:00"
    assert payment.raw["商品名称"] == "商品, 规格"  # a plain comma inside a field is no separator
    assert refund.is_refund
    assert (refund.refund_id, refund.out_refund_no, refund.amount) == ("5000000001", "RNO1-1", 250)
    assert refund.refund_state == "SUCCESS"
    assert bill.summary["总交易单数"] == "2"
    assert (bill.summary_fen("订单总金额"), bill.summary_fen("申请退款总金额")) == (1250, 250)


def test_parse_reads_columns_by_name_and_accepts_an_empty_detail_part():
    text = HEADER + ",新字段\n" + paid("42", "NO1", "0.01") + ",`x\n"
    bill = trade_bill.parse(text)
    assert [(row.transaction_id, row.amount) for row in bill.rows] == [("42", 1)]
    assert bill.summary == {}
    assert trade_bill.parse(bill_text()).rows == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "交易时间,商户订单号,交易状态,订单金额\n`x,`y,`SUCCESS,`1.00\n",  # no 微信订单号
        HEADER + "\n" + paid("42", "NO1", "1.00").lstrip("`") + "\n",  # no backtick
        HEADER + "\n" + paid("42", "NO1", "1.00") + ",`extra\n",  # one field too many
        HEADER + "\n" + paid("42", "NO1", "1.005") + "\n",  # a third decimal
        HEADER + "\n" + paid("42", "NO1", "abc") + "\n",
        HEADER + "\n" + SUMMARY + "\n",  # a summary header without its values
    ],
)
def test_parse_refuses_a_malformed_bill(text):
    with pytest.raises(TradeBillMalformed):
        trade_bill.parse(text)


# ------------------------------------------------------------------ reconciling


@responses.activate
def test_reconcile_reports_matched_mismatched_and_missing_rows(wechat, customer):
    matched, wrong, ours_only = (paid_order(customer) for _ in range(3))
    refunded_order = paid_order(customer, price="3.00")
    refund = make_refund(refunded_order)
    serve_bill(
        wechat,
        bill_text(
            paid(f"TX{matched.id}", matched.order_no, "8.00"),
            paid(f"TX{wrong.id}", wrong.order_no, "9.00"),
            paid(f"TX{refunded_order.id}", refunded_order.order_no, "3.00"),
            refunded(f"TX{refunded_order.id}", refunded_order.order_no, refund.refund_id,
                     refund.out_refund_no, "3.00"),
            paid("4200UNKNOWN", "NO-SUCH-ORDER", "1.00"),
        ),
    )  # fmt: skip
    responses.add_callback(
        responses.GET,
        f"{BASE}/v3/pay/transactions/out-trade-no/NO-SUCH-ORDER",
        callback=wechat.answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}),
    )
    report = reconcile.reconcile(DAY)
    assert (report.bill_rows, report.matched, report.amount_mismatch) == (5, 3, 1)
    assert (report.missing_local, report.missing_wechat, report.repaired) == (1, 1, 0)
    assert report.problems == 3 and report.runs == 1
    assert _items(report) == [
        ("matched", "payment", matched.order_no, 800, 800, ""),
        ("amount_mismatch", "payment", wrong.order_no, 900, 800, ""),
        ("matched", "payment", refunded_order.order_no, 300, 300, ""),
        ("missing_local", "payment", "NO-SUCH-ORDER", 100, None, "failed"),
        ("missing_wechat", "payment", ours_only.order_no, None, 800, ""),
        ("matched", "refund", refunded_order.order_no, 300, 300, ""),
    ]


@responses.activate
def test_reconcile_repairs_a_paid_order_whose_notify_was_lost(wechat, customer):
    order = make_order(customer, (make_product(price="6.60", stock=5), 2), prepay_id="wx-prepay")
    serve_bill(wechat, bill_text(paid("4200LOST", order.order_no, "13.20")))
    answer_query(wechat, order, transaction_id="4200LOST")
    report = reconcile.reconcile(DAY)
    assert (report.missing_local, report.repaired) == (1, 1)
    assert _items(report) == [("missing_local", "payment", order.order_no, 1320, 1320, "paid")]
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == S.PAID
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert (payment.transaction_id, payment.amount) == ("4200LOST", 1320)
    # the next run finds it recorded
    responses.calls.reset()
    again = reconcile.reconcile(DAY)
    assert (again.matched, again.missing_local, again.runs) == (1, 0, 2)


@responses.activate
def test_reconcile_leaves_an_order_wechat_reports_unpaid(wechat, customer):
    order = make_order(customer, (make_product(price="1.00", stock=5), 1), prepay_id="wx-prepay")
    serve_bill(wechat, bill_text(paid("4200X", order.order_no, "1.00")))
    answer_query(wechat, order, trade_state="NOTPAY", transaction_id=None)
    report = reconcile.reconcile(DAY)
    assert _items(report) == [("missing_local", "payment", order.order_no, 100, None, "not_paid")]
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == S.UNPAID


@responses.activate
def test_reconcile_flags_a_transaction_recorded_for_another_order(wechat, customer):
    order = paid_order(customer)
    serve_bill(wechat, bill_text(paid(f"TX{order.id}", "SOME-OTHER-NO", "8.00")))
    report = reconcile.reconcile(DAY)
    assert report.order_mismatch == 1 and report.matched == 0
    item = db.session.scalar(select(ReconcileItem).where(ReconcileItem.day_id == report.id))
    assert (item.category, item.order_id, item.note) == (
        "order_mismatch",
        order.id,
        f"recorded for order {order.order_no}",
    )


@responses.activate
def test_reconcile_settles_a_refund_whose_notify_was_lost(wechat, customer):
    order = paid_order(customer, price="5.00")
    db.session.execute(
        Order.__table__.update().where(Order.id == order.id).values(order_status=S.REFUNDING)
    )
    db.session.commit()
    refund = make_refund(order, status="PROCESSING")
    serve_bill(
        wechat,
        bill_text(
            paid(f"TX{order.id}", order.order_no, "5.00"),
            refunded(f"TX{order.id}", order.order_no, "50LATE", refund.out_refund_no, "5.00"),
        ),
    )
    body = {
        "out_refund_no": refund.out_refund_no,
        "refund_id": "50LATE",
        "status": "SUCCESS",
        "success_time": "2026-01-01T13:00:00+08:00",
        "amount": {"refund": 500, "total": 500},
    }
    responses.add_callback(
        responses.GET,
        f"{BASE}/v3/refund/domestic/refunds/{refund.out_refund_no}",
        callback=wechat.answer(200, body),
    )
    report = reconcile.reconcile(DAY)
    assert (report.matched, report.missing_local, report.repaired) == (1, 1, 1)
    assert _items(report)[1] == ("missing_local", "refund", order.order_no, 500, 500, "success")
    db.session.expire_all()
    assert db.session.get(Refund, refund.id).status == "SUCCESS"
    assert db.session.get(Order, order.id).order_status == S.REFUNDED


@responses.activate
def test_reconcile_refuses_a_tampered_bill_and_keeps_the_stored_report(wechat, customer):
    order = paid_order(customer)
    serve_bill(wechat, bill_text(paid(f"TX{order.id}", order.order_no, "8.00")))
    first = reconcile.reconcile(DAY)
    before = _items(first)
    responses.reset()
    genuine = bill_text(paid(f"TX{order.id}", order.order_no, "8.00"))
    tampered = bill_text(paid(f"TX{order.id}", order.order_no, "0.01"))
    serve_bill(wechat, tampered, hash_value=hashlib.sha1(genuine.encode()).hexdigest())
    with pytest.raises(TradeBillHashMismatch):
        reconcile.reconcile(DAY)
    db.session.expire_all()
    report = db.session.scalar(select(ReconcileDay))
    assert (_reports(), report.runs, _items(report)) == (1, 1, before)


@responses.activate
def test_reconcile_refuses_a_tampered_bill_of_a_new_day(wechat, customer):
    serve_bill(wechat, bill_text(paid("42", "NO1", "1.00")), hash_value="0" * 40)
    with pytest.raises(TradeBillHashMismatch):
        reconcile.reconcile(DAY)
    assert _reports() == 0


@responses.activate
def test_reconcile_reads_a_day_without_bill_as_empty(wechat, customer):
    order = paid_order(customer)
    responses.add_callback(
        responses.GET,
        f"{BASE}/v3/bill/tradebill",
        callback=wechat.answer(400, {"code": "NO_STATEMENT_EXIST", "message": "账单文件不存在"}),
    )
    report = reconcile.reconcile(DAY)
    assert (report.bill_rows, report.missing_wechat) == (0, 1)
    assert _items(report) == [("missing_wechat", "payment", order.order_no, None, 800, "")]


@responses.activate
@pytest.mark.parametrize(
    "status, body",
    [
        (400, {"code": "STATEMENT_CREATING", "message": "账单生成中"}),
        (200, {"hash_type": "SHA1", "hash_value": "00"}),  # no download_url
        (200, {"download_url": "https://elsewhere.test/f?token=1", "hash_type": "SHA1",
               "hash_value": "00"}),
    ],
)  # fmt: skip
def test_reconcile_without_a_usable_bill_stores_nothing(wechat, status, body):
    responses.add_callback(
        responses.GET, f"{BASE}/v3/bill/tradebill", callback=wechat.answer(status, body)
    )
    with pytest.raises(TradeBillUnavailable):
        reconcile.reconcile(DAY)
    assert _reports() == 0
    assert [call.request.url.split("?")[0] for call in responses.calls] == [
        f"{BASE}/v3/bill/tradebill"
    ]


@responses.activate
def test_reconcile_refuses_a_download_that_is_not_gzip(wechat):
    text = bill_text(paid("42", "NO1", "1.00"))
    responses.add_callback(
        responses.GET,
        f"{BASE}/v3/bill/tradebill",
        callback=wechat.answer(
            200,
            {
                "download_url": f"{BASE}/v3/billdownload/file?token=t1",
                "hash_type": "SHA1",
                "hash_value": hashlib.sha1(text.encode()).hexdigest(),
            },
        ),
    )
    responses.add(responses.GET, f"{BASE}/v3/billdownload/file", body=text.encode())
    with pytest.raises(TradeBillMalformed):
        reconcile.reconcile(DAY)
    assert _reports() == 0


@responses.activate
def test_rerun_replaces_the_days_report(wechat, customer):
    first, second = paid_order(customer), paid_order(customer)
    serve_bill(wechat, bill_text(paid(f"TX{first.id}", first.order_no, "8.00")))
    report = reconcile.reconcile(DAY)
    assert (report.matched, report.missing_wechat) == (1, 1)
    responses.reset()
    serve_bill(
        wechat,
        bill_text(
            paid(f"TX{first.id}", first.order_no, "8.00"),
            paid(f"TX{second.id}", second.order_no, "8.00"),
        ),
    )
    again = reconcile.reconcile(DAY)
    assert (again.id, again.runs, again.matched, again.missing_wechat) == (report.id, 2, 2, 0)
    assert [item[0] for item in _items(again)] == ["matched", "matched"]
    assert _reports() == 1


@needs_mariadb
@responses.activate
def test_concurrent_reruns_leave_one_complete_report(app, wechat, customer):
    orders = [paid_order(customer) for _ in range(3)]
    serve_bill(wechat, bill_text(*(paid(f"TX{o.id}", o.order_no, "8.00") for o in orders)))
    assert errors_of(run_parallel(app, [lambda: reconcile.reconcile(DAY)] * 4)) == []
    db.session.rollback()  # a fresh snapshot: the rows were written by the threads
    report = db.session.scalar(select(ReconcileDay))
    assert (_reports(), report.runs, report.matched) == (1, 4, 3)
    assert [item[0] for item in _items(report)] == ["matched"] * 3


# ------------------------------------------------------------------ the command


@responses.activate
def test_pay_reconcile_command_prints_the_counts(app, wechat, customer):
    order = paid_order(customer)
    serve_bill(wechat, bill_text(paid(f"TX{order.id}", order.order_no, "8.00")))
    result = app.test_cli_runner().invoke(args=["pay", "reconcile", "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "2026-01-01 bill_rows=1 matched=1 missing_local=0 missing_wechat=0 amount_mismatch=0 "
        "order_mismatch=0 repaired=0"
    )


@responses.activate
def test_pay_reconcile_command_fails_on_a_tampered_bill(app, wechat):
    serve_bill(wechat, bill_text(paid("42", "NO1", "1.00")), hash_value="1" * 40)
    result = app.test_cli_runner().invoke(args=["pay", "reconcile", "--date", "2026-01-01"])
    assert result.exit_code == 1
    assert "2026-01-01: The downloaded trade bill does not match its hash (72030)" in result.output
    assert _reports() == 0


def test_pay_reconcile_command_needs_wechat_pay(app):
    result = app.test_cli_runner().invoke(args=["pay", "reconcile", "--date", "2026-01-01"])
    assert result.exit_code == 1 and "WeChat Pay is not configured (70010)" in result.output


def test_day_window_is_the_local_calendar_day(app):
    start, end = reconcile.day_window(DAY)
    assert (start, end - start) == (TODAY_TS - 12 * 3600, 86400)
