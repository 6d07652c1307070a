"""WeChat Pay API v3 (JSAPI for mini-programs): prepay, query, close, refund, notifications.

Outgoing calls go through the `wechatpayv3` client (request signing and answer verification
with the platform public key). Incoming notifications are verified here with `cryptography`,
because the client cannot reject stale timestamps and would download certificates for an
unknown serial.
"""

import base64
import binascii
import functools
import json
import secrets
import string
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import current_app
from sqlalchemy import select

from app.core.exceptions import (
    NotifyDataMismatch,
    NotifyOrderUnknown,
    NotifySignatureInvalid,
    OrderExpired,
    ParameterException,
    PayerNotWeChatUser,
    PayNotConfigured,
    WeChatPayError,
)
from app.extensions import db
from app.models import Identity, Order, OrderStatus, Payment, Refund
from app.models.base import now, yuan_to_fen
from app.models.order import status_conflict
from app.services import orders

NOTIFY_MAX_SKEW = 300
PREPAY_MAX_AGE = 110 * 60
WX_MINA = 200
_REQUIRED = (
    "WECHATPAY_MCHID",
    "WECHATPAY_PRIVATE_KEY",
    "WECHATPAY_CERT_SERIAL_NO",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_PUBLIC_KEY",
    "WECHATPAY_PUBLIC_KEY_ID",
    "WX_APP_ID",
    "WECHATPAY_NOTIFY_URL",
)


class GatewayError(Exception):
    """A WeChat Pay call failed; `reached` is False when WeChat could not be reached."""

    def __init__(self, message: str, *, reached: bool, status: int | None = None, body=None):
        super().__init__(message)
        self.reached = reached
        self.status = status
        self.body = body or {}


# ------------------------------------------------------------------ config


def _setting(key: str) -> str:
    value = current_app.config[key]
    # PEM text set through an environment variable often carries literal "\n" sequences.
    return str(value).replace("\\n", "\n").strip()


def is_configured() -> bool:
    return all(_setting(key) for key in _REQUIRED)


def require_configured() -> None:
    if not is_configured():
        raise PayNotConfigured()


@functools.lru_cache(maxsize=4)
def _client_for(settings: tuple):
    from wechatpayv3 import WeChatPay, WeChatPayType

    mchid, private_key, serial, apiv3_key, public_key, key_id, app_id, notify, base, timeout = (
        settings
    )
    client = WeChatPay(
        wechatpay_type=WeChatPayType.MINIPROG,
        mchid=mchid,
        private_key=private_key,
        cert_serial_no=serial,
        appid=app_id,
        apiv3_key=apiv3_key,
        notify_url=notify,
        public_key=public_key,
        public_key_id=key_id,
        timeout=timeout,
    )
    client._core._gate_way = base.rstrip("/")  # the client has no option for the base URL
    return client


def client():
    require_configured()
    settings = tuple(_setting(key) for key in _REQUIRED) + (
        _setting("WECHATPAY_API_BASE"),
        current_app.config["WECHATPAY_TIMEOUT"],
    )
    try:
        return _client_for(settings)
    except Exception as error:  # the client raises bare Exception for unreadable keys
        current_app.logger.error("WeChat Pay keys cannot be loaded: %s", error)
        raise PayNotConfigured("WeChat Pay keys cannot be loaded") from None


def _call(method, *args, **kwargs) -> dict:
    """Run one client call; answer the JSON body of a 2xx, raise GatewayError otherwise."""
    try:
        status, text = method(*args, **kwargs)
    except requests.RequestException as error:
        raise GatewayError(f"WeChat Pay unreachable: {error}", reached=False) from error
    except Exception as error:  # the client raises bare Exception on a bad answer signature
        raise GatewayError(f"WeChat Pay answer rejected: {error}", reached=False) from error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {}
    if not 200 <= status < 300:
        message = body.get("message") or body.get("code") or f"HTTP {status}"
        raise GatewayError(message, reached=True, status=status, body=body)
    return body if isinstance(body, dict) else {}


# ------------------------------------------------------------ WeChat calls


def _rfc3339(ts: int) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")


def _cut_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", "ignore")


def query_transaction(order_no: str) -> dict:
    return _call(client().query, out_trade_no=order_no)


def close_transaction(order_no: str) -> None:
    _call(client().close, out_trade_no=order_no)


def query_refund(out_refund_no: str) -> dict:
    return _call(client().query_refund, out_refund_no=out_refund_no)


def trade_bill(bill_date: str) -> dict:
    """Where to download the day's gzip trade bill: {download_url, hash_type, hash_value}."""
    return _call(client().trade_bill, bill_date=bill_date, bill_type="ALL", tar_type="GZIP")


def download_bill(url: str) -> bytes:
    """The file at a `download_url` (not signed by WeChat: its hash is checked instead)."""
    base = _setting("WECHATPAY_API_BASE").rstrip("/")
    if not url.startswith(base + "/"):  # our signed request goes to WeChat Pay only
        raise GatewayError("the bill download URL is not on WECHATPAY_API_BASE", reached=True)
    try:
        status, content = client().download_bill(url)
    except requests.RequestException as error:
        raise GatewayError(f"WeChat Pay unreachable: {error}", reached=False) from error
    if not 200 <= status < 300:
        raise GatewayError(f"HTTP {status}", reached=True, status=status)
    return content if isinstance(content, bytes) else str(content).encode()


def _nonce(length: int = 32) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _payer_openid(user_id: int) -> str | None:
    return db.session.scalar(
        select(Identity.identifier).where(Identity.user_id == user_id, Identity.type == WX_MINA)
    )


def pre_order(user, order_id: int) -> dict:
    """The wx.requestPayment parameters of the caller's unpaid order."""
    order = orders.get_user_order(user.id, order_id)
    require_configured()
    if order.order_status != OrderStatus.UNPAID:
        raise status_conflict(order.order_status, [OrderStatus.UNPAID])
    at = now()
    if order.is_expired(at):
        raise OrderExpired()
    openid = _payer_openid(user.id)
    if not openid:
        raise PayerNotWeChatUser()
    pay = client()
    if not order.prepay_reusable(at, PREPAY_MAX_AGE):
        try:
            answer = _call(
                pay.pay,
                description=_cut_bytes(order.snap_name, 127),
                out_trade_no=order.order_no,
                amount={"total": yuan_to_fen(order.total_price), "currency": "CNY"},
                payer={"openid": openid},
                time_expire=_rfc3339(order.expire_time),
                notify_url=_setting("WECHATPAY_NOTIFY_URL"),
            )
        except GatewayError as error:
            raise WeChatPayError(str(error)[:200]) from error
        prepay_id = answer.get("prepay_id")
        if not prepay_id:
            raise WeChatPayError("WeChat Pay answered without a prepay id")
        order.prepay_id, order.prepay_time = prepay_id, at
        db.session.commit()
    return pay_parameters(order.prepay_id)


def pay_parameters(prepay_id: str) -> dict:
    """Parameters of wx.requestPayment, signed with the merchant private key."""
    timestamp, nonce, package = str(now()), _nonce(), f"prepay_id={prepay_id}"
    signature = client().sign([_setting("WX_APP_ID"), timestamp, nonce, package])
    return {
        "timeStamp": timestamp,
        "nonceStr": nonce,
        "package": package,
        "signType": "RSA",
        "paySign": signature,
    }


def query_order(user, order_id: int) -> Order:
    """Ask WeChat about the caller's unpaid order and apply a reported payment."""
    order = orders.get_user_order(user.id, order_id)
    require_configured()
    if order.order_status == OrderStatus.UNPAID and order.prepay_id:
        try:
            transaction = query_transaction(order.order_no)
        except GatewayError as error:
            raise WeChatPayError(str(error)[:200]) from error
        if transaction.get("trade_state") == "SUCCESS":
            check_transaction(transaction)
            apply_payment(transaction, actor_type="system")
    db.session.expire_all()
    return orders.get_user_order(user.id, order_id)


def settle_before_cancel(order: Order) -> bool:
    """Before cancelling an unpaid order: apply a payment WeChat reports, else close it there.

    Answers True when the order turned out paid. WeChat being unreachable never blocks a
    cancel: a payment arriving later makes the order PAID_BUT_OUT_OF.
    """
    if not (order.prepay_id and is_configured()):
        return False
    try:
        transaction = query_transaction(order.order_no)
    except GatewayError:
        transaction = {}
    if transaction.get("trade_state") == "SUCCESS":
        try:
            check_transaction(transaction)
        except (NotifyDataMismatch, NotifyOrderUnknown):
            return False
        apply_payment(transaction, actor_type="system")
        return True
    try:
        close_transaction(order.order_no)
    except GatewayError:
        current_app.logger.warning("could not close WeChat order %s", order.order_no)
    return False


# ---------------------------------------------------------- notifications


def verify_notification(headers, body: bytes) -> dict:
    """Check the platform signature and timestamp, then answer the decrypted resource."""
    signature = headers.get("Wechatpay-Signature", "")
    timestamp = headers.get("Wechatpay-Timestamp", "")
    nonce = headers.get("Wechatpay-Nonce", "")
    serial = headers.get("Wechatpay-Serial", "")
    public_pem, key_id = _setting("WECHATPAY_PUBLIC_KEY"), _setting("WECHATPAY_PUBLIC_KEY_ID")
    if not (signature and timestamp.isdigit() and nonce and public_pem and serial == key_id):
        raise NotifySignatureInvalid()
    if abs(int(timestamp) - int(time.time())) > NOTIFY_MAX_SKEW:
        raise NotifySignatureInvalid("Notification timestamp is too far from server time")
    try:
        public_key = load_pem_public_key(public_pem.encode())
        public_key.verify(
            base64.b64decode(signature, validate=True),
            timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n",
            PKCS1v15(),
            SHA256(),
        )
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        raise NotifySignatureInvalid() from None
    return _decrypt(body)


def _decrypt(body: bytes) -> dict:
    try:
        envelope = json.loads(body)
        resource = envelope["resource"]
        if resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise ValueError("unsupported algorithm")
        plain = AESGCM(_setting("WECHATPAY_APIV3_KEY").encode()).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"]),
            (resource.get("associated_data") or "").encode(),
        )
        data = json.loads(plain)
    except (ValueError, KeyError, TypeError, AttributeError, InvalidTag, binascii.Error):
        raise ParameterException("Notification resource cannot be decrypted") from None
    if not isinstance(data, dict):
        raise ParameterException("Notification resource is not an object")
    return {"event_type": envelope.get("event_type", ""), "resource": data}


def _parse_time(text) -> int | None:
    if not text:
        return None
    try:
        return int(datetime.fromisoformat(str(text)).timestamp())
    except ValueError:
        return None


def check_transaction(transaction: dict) -> Order:
    """The order a successful transaction pays, after checking app, merchant and amount."""
    if transaction.get("appid") != _setting("WX_APP_ID") or transaction.get("mchid") != _setting(
        "WECHATPAY_MCHID"
    ):
        raise NotifyDataMismatch()
    order = db.session.scalar(
        select(Order).where(Order.order_no == str(transaction.get("out_trade_no") or ""))
    )
    if order is None:
        raise NotifyOrderUnknown()
    amount = transaction.get("amount") or {}
    if (
        amount.get("total") != yuan_to_fen(order.total_price)
        or amount.get("currency", "CNY") != "CNY"
        or not transaction.get("transaction_id")
    ):
        raise NotifyDataMismatch()
    return order


def apply_payment(transaction: dict, *, actor_type: str) -> str:
    """Record a checked successful transaction once and move its order; answers what happened."""
    order = check_transaction(transaction)
    payer = transaction.get("payer") or {}
    return orders.record_payment(
        order_id=order.id,
        user_id=order.user_id,
        transaction_id=str(transaction["transaction_id"]),
        out_trade_no=order.order_no,
        amount=int(transaction["amount"]["total"]),
        trade_state=str(transaction.get("trade_state", "SUCCESS")),
        payer_openid=str(payer.get("openid") or ""),
        success_time=_parse_time(transaction.get("success_time")) or now(),
        raw=transaction,
        actor_type=actor_type,
    )


def handle_pay_notification(headers, body: bytes) -> str:
    """Verify, decrypt, check and apply one payment notification."""
    message = verify_notification(headers, body)
    transaction = message["resource"]
    if (
        message["event_type"] != "TRANSACTION.SUCCESS"
        or transaction.get("trade_state") != "SUCCESS"
    ):
        return "ignored"
    return apply_payment(transaction, actor_type="wechat")


# ----------------------------------------------------------------- refunds

REFUND_FINAL = {"SUCCESS", "CLOSED", "ABNORMAL"}


def request_refund(order_id: int, admin_id: int, reason: str) -> Order:
    """Full refund of a paid order (what earlier after-sales did not give back): reserve it as
    REFUNDING, then ask WeChat to refund it."""
    order = orders.get_order(order_id)
    require_configured()
    refund = orders.start_refund(order, admin_id, reason)
    send_refund(refund.id, actor_type="admin", actor_id=admin_id)
    return orders.get_order(order_id)


def send_refund(refund_id: int, *, actor_type: str, actor_id=None) -> Refund:
    """Ask WeChat Pay for a PROCESSING refund row and apply its answer.

    Asking again for the same row is safe: WeChat answers a known `out_refund_no` with that
    refund instead of making another. WeChat refusing it (an error answer) settles the row
    ABNORMAL, so a retry makes a new row; WeChat unreachable leaves it PROCESSING (settled
    later by the notify, `query_processing_refunds` or a retry).
    """
    refund = db.session.get(Refund, refund_id, populate_existing=True)
    payment = db.session.get(Payment, refund.payment_id)
    order_no = db.session.scalar(select(Order.order_no).where(Order.id == refund.order_id))
    try:
        answer = _call(
            client().refund,
            out_refund_no=refund.out_refund_no,
            amount={"refund": refund.amount, "total": payment.amount, "currency": "CNY"},
            out_trade_no=order_no,
            reason=refund.reason or None,
            notify_url=_setting("WECHATPAY_REFUND_NOTIFY_URL") or None,
        )
    except GatewayError as error:
        if error.reached:
            orders.settle_refund(refund.id, "ABNORMAL", actor_type=actor_type, actor_id=actor_id)
        raise WeChatPayError(str(error)[:200]) from error
    status = answer.get("status", "PROCESSING")
    orders.settle_refund(
        refund.id,
        status,
        actor_type=actor_type,
        actor_id=actor_id,
        wechat_refund_id=answer.get("refund_id"),
        success_time=_parse_time(answer.get("success_time")),
    )
    return db.session.get(Refund, refund_id, populate_existing=True)


def handle_refund_notification(headers, body: bytes) -> str:
    message = verify_notification(headers, body)
    data = message["resource"]
    status = {
        "REFUND.SUCCESS": "SUCCESS",
        "REFUND.ABNORMAL": "ABNORMAL",
        "REFUND.CLOSED": "CLOSED",
    }.get(message["event_type"])
    if status is None:
        return "ignored"
    apply_refund_result(data, status, actor_type="wechat")
    return status


def apply_refund_result(data: dict, status: str, *, actor_type: str) -> bool:
    refund = db.session.scalar(
        select(Refund).where(Refund.out_refund_no == str(data.get("out_refund_no") or ""))
    )
    if refund is None:
        raise NotifyOrderUnknown("Notification is for an unknown refund")
    amount = (data.get("amount") or {}).get("refund")
    if data.get("mchid", _setting("WECHATPAY_MCHID")) != _setting("WECHATPAY_MCHID") or (
        amount != refund.amount
    ):
        raise NotifyDataMismatch()
    return orders.settle_refund(
        refund.id,
        status,
        actor_type=actor_type,
        wechat_refund_id=data.get("refund_id"),
        success_time=_parse_time(data.get("success_time")),
    )


def query_processing_refunds(older_than: int = 600) -> int:
    """Settle refunds still PROCESSING after `older_than` seconds by asking WeChat."""
    if not is_configured():
        return 0
    settled = 0
    ids = db.session.scalars(
        select(Refund.id).where(
            Refund.status == "PROCESSING", Refund.create_time <= now() - older_than
        )
    ).all()
    for refund_id in ids:
        refund = db.session.get(Refund, refund_id)
        try:
            answer = _call(client().query_refund, out_refund_no=refund.out_refund_no)
        except GatewayError:
            continue
        status = answer.get("status")
        if status in REFUND_FINAL and orders.settle_refund(
            refund_id,
            status,
            actor_type="system",
            wechat_refund_id=answer.get("refund_id"),
            success_time=_parse_time(answer.get("success_time")),
        ):
            settled += 1
    return settled
