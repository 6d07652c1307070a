"""Shipping information for WeChat: the delivery company list, the carrier rule of admin delivery,
and the upload queued when an order paid through WeChat Pay is delivered.

WeChat holds the money of a mini-program payment until the shop uploads how the order was
shipped (`POST /wxa/sec/order/upload_shipping_info`); `queue_upload` writes that call into the
outbox in the delivery's transaction. The company codes come from WeChat's list
(`POST /cgi-bin/express/delivery/open_msg/get_delivery_list`), fetched with the access token and
cached for WECHAT_DELIVERY_LIST_TTL; without WeChat, or while it fails, the list bundled in
`delivery_companies.json` serves (the five largest carriers only: replace the file with a saved
answer of WeChat's list to accept more without WeChat).
"""

import functools
import json
import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.core.exceptions import ParameterException
from app.extensions import cache, db
from app.models import Identity, Order, OutboxMessage, Payment
from app.models.outbox import KIND_SHIPPING
from app.services.wechat import WX_MINA
from app.services.wechat_platform import outbox, token
from app.services.wechat_platform.http import WeChatError, WeChatUnreachable, is_configured

logger = logging.getLogger(__name__)

UPLOAD_PATH = "/wxa/sec/order/upload_shipping_info"
DELIVERY_LIST_PATH = "/cgi-bin/express/delivery/open_msg/get_delivery_list"
BUNDLED_LIST = Path(__file__).with_name("delivery_companies.json")
CACHE_KEY = "wechat:delivery_list"
FALLBACK_TTL = 300  # while WeChat fails, ask it again after this long, not on every delivery

# logistics_type: 1 express company, 2 same-city delivery, 3 virtual goods, 4 self-pickup.
EXPRESS, SAME_CITY, VIRTUAL, SELF_PICKUP = 1, 2, 3, 4
LOGISTICS_TYPES = (EXPRESS, SAME_CITY, VIRTUAL, SELF_PICKUP)
UNIFIED_DELIVERY = 1  # delivery_mode: the whole order in one parcel
ORDER_BY_OUT_TRADE_NO = 1  # order_number_type: mchid + out_trade_no
ITEM_DESC_MAX = 120


# ------------------------------------------------------------------ delivery companies


@functools.lru_cache(maxsize=1)
def bundled_companies() -> tuple[dict, ...]:
    return tuple(_companies(json.loads(BUNDLED_LIST.read_text(encoding="utf-8"))))


def _companies(items) -> list[dict]:
    if not isinstance(items, list):
        return []
    return [
        {"delivery_id": item["delivery_id"], "delivery_name": item["delivery_name"]}
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("delivery_id"), str)
        and isinstance(item.get("delivery_name"), str)
        and item["delivery_id"]
    ]


def delivery_companies() -> list[dict]:
    """WeChat's delivery companies ({delivery_id, delivery_name}), cached; the bundled list
    when WeChat is not configured or does not answer."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:
        logger.exception("delivery list cache read failed")
        cached = None
    if cached is not None:
        return cached
    companies, ttl = [], FALLBACK_TTL
    if is_configured():
        try:
            companies = _companies(token.call(DELIVERY_LIST_PATH, {}).get("delivery_list"))
            ttl = current_app.config["WECHAT_DELIVERY_LIST_TTL"]
        except (WeChatUnreachable, WeChatError) as error:
            logger.warning("WeChat delivery list unavailable (%s): using the bundled list", error)
    if not companies:
        companies = list(bundled_companies())
    try:
        cache.set(CACHE_KEY, companies, timeout=ttl)
    except Exception:
        logger.exception("delivery list cache write failed")
    return companies


def resolve_carrier(carrier: str) -> dict:
    """The delivery company a carrier names: its WeChat name (顺丰速运) or id (SF, any case)."""
    text = carrier.strip()
    for company in delivery_companies():
        if company["delivery_name"] == text or company["delivery_id"].upper() == text.upper():
            return company
    message = (
        "Unknown carrier: use a delivery company name or id from WeChat's list, "
        "e.g. 顺丰速运 or SF."
    )
    raise ParameterException(f"carrier: {message}", errors={"carrier": [message]})


# ------------------------------------------------------------------ the upload


def mask_mobile(mobile: str | None) -> str | None:
    """A phone number as WeChat takes it: the last four digits kept, the first three too when
    the number is long enough, every other digit "*" (18912341234 -> 189****1234)."""
    digits = "".join(ch for ch in str(mobile or "") if ch.isdigit())
    if len(digits) < 4:
        return None
    head = digits[:3] if len(digits) >= 8 else ""
    return head + "*" * (len(digits) - len(head) - 4) + digits[-4:]


def rfc3339(ts: int) -> str:
    """Unix seconds as RFC 3339 local time with its offset (2026-01-01T12:00:00+08:00)."""
    return datetime.fromtimestamp(ts, ZoneInfo(current_app.config["TIMEZONE"])).isoformat(
        timespec="seconds"
    )


def describe_items(order: Order) -> str:
    """What the parcel holds, as WeChat shows it (name*count, ...), at most 120 characters."""
    parts = [
        f"{item.get('name', '')}*{item.get('count', 1)}"
        for item in (order.snap_items or [])
        if isinstance(item, dict)
    ]
    text = "、".join(parts) or order.snap_name
    return text[:ITEM_DESC_MAX]


def wechat_payment(order_id: int) -> Payment | None:
    """The WeChat Pay payment that paid the order (the first one), if any."""
    return db.session.scalar(
        select(Payment)
        .where(Payment.order_id == order_id, Payment.trade_state == "SUCCESS")
        .order_by(Payment.id)
        .limit(1)
    )


def _payer_openid(payment: Payment, user_id: int) -> str | None:
    if payment.payer_openid:
        return payment.payer_openid
    return db.session.scalar(
        select(Identity.identifier).where(Identity.user_id == user_id, Identity.type == WX_MINA)
    )


def upload_body(
    order: Order,
    payment: Payment,
    openid: str,
    *,
    logistics_type: int,
    company: dict | None,
    tracking_no: str | None,
    item_desc: str | None,
    upload_time: int,
) -> dict:
    """The upload_shipping_info body of one order shipped in one parcel."""
    mchid = (payment.raw or {}).get("mchid") or current_app.config["WECHATPAY_MCHID"]
    item = {"item_desc": (item_desc or describe_items(order))[:ITEM_DESC_MAX]}
    if tracking_no:
        item["tracking_no"] = tracking_no
    if company is not None:
        item["express_company"] = company["delivery_id"]
    contact = mask_mobile((order.snap_address or {}).get("mobile"))
    if contact and logistics_type in (EXPRESS, SAME_CITY):
        item["contact"] = {"receiver_contact": contact}
    return {
        "order_key": {
            "order_number_type": ORDER_BY_OUT_TRADE_NO,
            "mchid": mchid,
            "out_trade_no": payment.out_trade_no,
        },
        "logistics_type": logistics_type,
        "delivery_mode": UNIFIED_DELIVERY,
        "shipping_list": [item],
        "upload_time": rfc3339(upload_time),
        "payer": {"openid": openid},
    }


def queue_upload(
    order: Order,
    *,
    logistics_type: int,
    company: dict | None,
    tracking_no: str | None,
    item_desc: str | None,
    upload_time: int,
) -> OutboxMessage | None:
    """Queue the shipping upload of a delivered order in the caller's transaction; nothing when
    the order was not paid through WeChat Pay (or its payer is unknown)."""
    payment = wechat_payment(order.id)
    if payment is None:
        return None
    openid = _payer_openid(payment, order.user_id)
    if not openid:
        logger.warning("order %s: no payer openid, shipping upload not queued", order.id)
        return None
    body = upload_body(
        order,
        payment,
        openid,
        logistics_type=logistics_type,
        company=company,
        tracking_no=tracking_no,
        item_desc=item_desc,
        upload_time=upload_time,
    )
    return outbox.enqueue(KIND_SHIPPING, UPLOAD_PATH, body, order_id=order.id)
