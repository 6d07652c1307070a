"""WeChat Pay API v3 (JSAPI): prepay, query, close, refunds, trade bills.

Every route checks the merchant signature first (401 SIGN_ERROR), as WeChat Pay does, and
answers signed with the platform key. A refund is PROCESSING when answered; `refund_delay`
seconds later it succeeds and its notification is sent, from a thread.
"""

import gzip
import hashlib
import secrets
import threading
import time
from datetime import datetime

from flask import Blueprint, Response, request

from app.fakewechat import bill
from app.fakewechat.core import (
    Fake,
    body_json,
    fake,
    local_text,
    merchant_refusal,
    pay_answer,
    pay_error,
    rfc3339,
    send_notification,
)

bp = Blueprint("pay", __name__)

TRADE_FIELDS = (
    "appid",
    "mchid",
    "out_trade_no",
    "transaction_id",
    "trade_type",
    "trade_state",
    "trade_state_desc",
    "bank_type",
    "attach",
    "success_time",
    "payer",
    "amount",
)
REFUND_FIELDS = (
    "refund_id",
    "out_refund_no",
    "transaction_id",
    "out_trade_no",
    "channel",
    "user_received_account",
    "success_time",
    "create_time",
    "status",
    "funds_account",
    "amount",
)


def public_trade(trade: dict) -> dict:
    """The transaction as the query API and the payment notification describe it."""
    return {key: trade[key] for key in TRADE_FIELDS if trade.get(key) is not None}


def public_refund(refund: dict) -> dict:
    return {key: refund[key] for key in REFUND_FIELDS if refund.get(key) is not None}


@bp.before_request
def check_signature():
    return merchant_refusal()


# ------------------------------------------------------------------ transactions


def _prepay_problem(data, identity) -> Response | None:
    if not isinstance(data, dict):
        return pay_error(400, "PARAM_ERROR", "body is not a JSON object")
    if data.get("appid") != identity.app_id or data.get("mchid") != identity.mchid:
        return pay_error(400, "APPID_MCHID_NOT_MATCH", "appid and mchid do not match")
    amount, payer, no = data.get("amount") or {}, data.get("payer") or {}, data.get("out_trade_no")
    total = amount.get("total") if isinstance(amount, dict) else None
    if not (
        isinstance(no, str)
        and 6 <= len(no) <= 32
        and isinstance(total, int)
        and total > 0
        and isinstance(payer, dict)
        and payer.get("openid")
        and data.get("notify_url")
        and data.get("description")
    ):
        return pay_error(400, "PARAM_ERROR", "a required parameter is missing or invalid")
    return None


@bp.post("/v3/pay/transactions/jsapi")
def jsapi_prepay():
    """A prepay id for an order number; asking again for an unpaid one answers the same id."""
    data, current = body_json(), fake()
    problem = _prepay_problem(data, current.identity)
    if problem:
        return problem
    no, total = data["out_trade_no"], data["amount"]["total"]
    with current.state.lock:
        trade = current.state.trades.get(no)
        if trade is not None and trade["amount"]["total"] != total:
            return pay_error(400, "INVALID_REQUEST", "out_trade_no was used with another amount")
        if trade is not None and trade["trade_state"] != "NOTPAY":
            code = "ORDERPAID" if trade["trade_state"] == "SUCCESS" else "ORDER_CLOSED"
            return pay_error(400, code, f"the order is {trade['trade_state']}")
        if trade is None:
            trade = {
                "appid": data["appid"],
                "mchid": data["mchid"],
                "out_trade_no": no,
                "description": data["description"],
                "attach": data.get("attach"),
                "notify_url": data["notify_url"],
                "time_expire": data.get("time_expire"),
                "trade_type": "JSAPI",
                "trade_state": "NOTPAY",
                "trade_state_desc": "未支付",
                "payer": {"openid": data["payer"]["openid"]},
                "amount": {"total": total, "currency": data["amount"].get("currency", "CNY")},
                "prepay_id": "wx" + secrets.token_hex(15),
            }
            current.state.trades[no] = trade
    return pay_answer({"prepay_id": trade["prepay_id"]})


@bp.get("/v3/pay/transactions/out-trade-no/<no>")
def query_trade(no):
    current = fake()
    if request.args.get("mchid") != current.identity.mchid:
        return pay_error(400, "PARAM_ERROR", "mchid does not match")
    with current.state.lock:
        trade = current.state.trades.get(no)
        answer = public_trade(trade) if trade else None
    if answer is None:
        return pay_error(404, "ORDER_NOT_EXIST", "订单不存在")
    return pay_answer(answer)


@bp.post("/v3/pay/transactions/out-trade-no/<no>/close")
def close_trade(no):
    state = fake().state
    with state.lock:
        trade = state.trades.get(no)
        if trade is None:
            return pay_error(404, "ORDER_NOT_EXIST", "订单不存在")
        if trade["trade_state"] == "SUCCESS":
            return pay_error(400, "ORDERPAID", "订单已支付")
        trade.update(trade_state="CLOSED", trade_state_desc="已关闭")
    return pay_answer(None, 204)


def pay_trade(current: Fake, no: str, notify: bool = True) -> tuple[dict | None, str]:
    """The customer pays (or has paid) an order: (answer, error). The notification is sent,
    again on every call for a paid order, unless `notify` is false."""
    state = current.state
    with state.lock:
        trade = state.trades.get(no)
        if trade is None:
            return None, "no prepay for this out_trade_no"
        if trade["trade_state"] not in ("NOTPAY", "SUCCESS"):
            return None, f"the trade is {trade['trade_state']}"
        if trade["trade_state"] == "NOTPAY":
            paid = time.time()
            trade.update(
                trade_state="SUCCESS",
                trade_state_desc="支付成功",
                transaction_id=f"4200{int(paid)}{state.next_number():010d}",
                bank_type="OTHERS",
                success_time=rfc3339(paid),
                paid_at=paid,
            )
            trade["amount"].update(payer_total=trade["amount"]["total"], payer_currency="CNY")
        resource, url = public_trade(trade), trade["notify_url"]
    answer = {"transaction": resource, "notify": None}
    if notify:
        answer["notify"] = send_notification(
            current.settings, url, "TRANSACTION.SUCCESS", "transaction", resource
        )
    return answer, ""


# ------------------------------------------------------------------ refunds


def _refunded(state, out_trade_no: str, statuses) -> int:
    return sum(
        refund["amount"]["refund"]
        for refund in state.refunds.values()
        if refund["out_trade_no"] == out_trade_no and refund["status"] in statuses
    )


def _settle_later(current: Fake, out_refund_no: str) -> None:
    time.sleep(current.settings.refund_delay)
    state = current.state
    with state.lock:
        refund = state.refunds[out_refund_no]
        refund.update(status="SUCCESS", success_time=rfc3339(time.time()))
        trade = state.trades[refund["out_trade_no"]]
        if _refunded(state, trade["out_trade_no"], ("SUCCESS",)) >= trade["amount"]["total"]:
            trade.update(trade_state="REFUND", trade_state_desc="转入退款")
        resource = {
            "mchid": current.identity.mchid,
            "out_trade_no": refund["out_trade_no"],
            "transaction_id": refund["transaction_id"],
            "out_refund_no": out_refund_no,
            "refund_id": refund["refund_id"],
            "refund_status": "SUCCESS",
            "success_time": refund["success_time"],
            "user_received_account": refund["user_received_account"],
            "amount": {
                key: refund["amount"][key]
                for key in ("total", "refund", "payer_total", "payer_refund")
            },
        }
        url = refund.get("notify_url")
    if url:
        send_notification(current.settings, url, "REFUND.SUCCESS", "refund", resource)


def _find_trade(state, data: dict) -> dict | None:
    trade = state.trades.get(data.get("out_trade_no") or "")
    if trade is None and data.get("transaction_id"):
        trade = next(
            (t for t in state.trades.values() if t.get("transaction_id") == data["transaction_id"]),
            None,
        )
    return trade


@bp.post("/v3/refund/domestic/refunds")
def create_refund():
    """Refund a paid trade, never beyond what was paid; a known out_refund_no answers as is."""
    data, current = body_json(), fake()
    amount = data.get("amount") if isinstance(data, dict) else None
    if not (
        isinstance(amount, dict)
        and isinstance(data.get("out_refund_no"), str)
        and data["out_refund_no"]
        and isinstance(amount.get("refund"), int)
        and amount["refund"] > 0
        and isinstance(amount.get("total"), int)
    ):
        return pay_error(400, "PARAM_ERROR", "a required parameter is missing or invalid")
    state, out_refund_no = current.state, data["out_refund_no"]
    with state.lock:
        if out_refund_no in state.refunds:
            return pay_answer(public_refund(state.refunds[out_refund_no]))
        trade = _find_trade(state, data)
        if trade is None or not trade.get("transaction_id"):
            return pay_error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        total = trade["amount"]["total"]
        if amount["total"] != total:
            return pay_error(400, "PARAM_ERROR", "amount.total does not match the order")
        taken = _refunded(state, trade["out_trade_no"], ("SUCCESS", "PROCESSING"))
        if taken + amount["refund"] > total:
            return pay_error(403, "NOT_ENOUGH", "可退金额不足")
        now = time.time()
        refund = {
            "refund_id": f"50{int(now)}{state.next_number():012d}",
            "out_refund_no": out_refund_no,
            "transaction_id": trade["transaction_id"],
            "out_trade_no": trade["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": rfc3339(now),
            "created_at": now,
            "status": "PROCESSING",
            "funds_account": "AVAILABLE",
            "notify_url": data.get("notify_url"),
            "amount": {
                "total": total,
                "refund": amount["refund"],
                "payer_total": total,
                "payer_refund": amount["refund"],
                "settlement_total": total,
                "settlement_refund": amount["refund"],
                "discount_refund": 0,
                "currency": "CNY",
            },
        }
        state.refunds[out_refund_no] = refund
        answer = public_refund(refund)
    threading.Thread(target=_settle_later, args=(current, out_refund_no), daemon=True).start()
    return pay_answer(answer)


@bp.get("/v3/refund/domestic/refunds/<out_refund_no>")
def query_refund(out_refund_no):
    state = fake().state
    with state.lock:
        refund = state.refunds.get(out_refund_no)
        answer = public_refund(refund) if refund else None
    if answer is None:
        return pay_error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
    return pay_answer(answer)


# ------------------------------------------------------------------ trade bills


def bill_lines(current: Fake, day: str) -> list[bill.Line]:
    """The day's payments (by payment time) and refunds (by refund time), in time order."""
    entries = []
    state, identity = current.state, current.identity
    with state.lock:
        for trade in state.trades.values():
            paid = trade.get("paid_at")
            if paid is not None and local_text(paid, "%Y-%m-%d") == day:
                entries.append((paid, bill.payment_line(identity, trade, local_text(paid))))
        for refund in state.refunds.values():
            made = refund["created_at"]
            if local_text(made, "%Y-%m-%d") == day:
                trade = state.trades[refund["out_trade_no"]]
                entries.append((made, bill.refund_line(identity, trade, refund, local_text(made))))
    return [line for _, line in sorted(entries, key=lambda entry: entry[0])]


@bp.get("/v3/bill/tradebill")
def trade_bill():
    """Where to download the day's ALL bill; a day without trades has none (400)."""
    day = request.args.get("bill_date", "")
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return pay_error(400, "PARAM_ERROR", "bill_date must be YYYY-MM-DD")
    if request.args.get("bill_type", "ALL") != "ALL":
        return pay_error(400, "PARAM_ERROR", "the fake writes ALL bills only")
    current = fake()
    lines = bill_lines(current, day)
    if not lines:
        return pay_error(400, "NO_STATEMENT_EXIST", "账单文件不存在")
    data = bill.bill_text(lines).encode("utf-8")
    digest = hashlib.sha1(data).hexdigest()  # of the bill itself, not of its gzip
    if request.args.get("tar_type") == "GZIP":
        data = gzip.compress(data)
    token = secrets.token_urlsafe(24)
    with current.state.lock:
        current.state.bills[token] = data
    url = request.host_url.rstrip("/") + f"/v3/billdownload/file?token={token}"
    return pay_answer({"hash_type": "SHA1", "hash_value": digest, "download_url": url})


@bp.get("/v3/billdownload/file")
def download_bill():
    """The file itself: not signed (WeChat Pay does not sign it either; its hash is checked)."""
    state = fake().state
    with state.lock:
        data = state.bills.get(request.args.get("token", ""))
    if data is None:
        return pay_error(400, "INVALID_REQUEST", "token is unknown or expired")
    return Response(data, 200, mimetype="application/octet-stream")
