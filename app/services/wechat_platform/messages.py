"""Subscription messages to the customer on order events (`POST /cgi-bin/message/subscribe/send`).

Each event reads its template from a config parameter (a `json` row of the config table, edited
in the CMS under 参数管理):

    wechat.subscribe.order_paid          an order was paid (queue_order_paid)
    wechat.subscribe.order_delivered     an order was shipped (queue_order_delivered)
    wechat.subscribe.refund_settled      a refund reached the customer (queue_refund_settled)
    wechat.subscribe.after_sale_decided  an after-sale request was decided
                                         (queue_after_sale_decided, for the after-sales module)

    {"template_id": "<id from the mini-program console>",
     "page": "pages/order/detail?id={order_id}",
     "data": {"character_string1": "{order_no}", "thing2": "{snap_name}",
              "amount3": "{total_price}", "time4": "{pay_time}"},
     "miniprogram_state": "formal", "lang": "zh_CN"}

`{name}` in `page` and in each data value is replaced by the event's value (PLACEHOLDERS says
which exist); a value is cut to what WeChat accepts for its field type (`thing` 20 characters,
...). No row, an empty `template_id`, an unknown placeholder or a customer without a WeChat
openid: nothing is queued (the last two are logged). A queued message is sent by the outbox;
WeChat's 43101 (the customer did not accept the subscription) ends it as `skipped`.
"""

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Identity, Order, OutboxMessage
from app.models.base import fen_to_yuan, money_text, now
from app.models.outbox import KIND_MESSAGE
from app.services.config_params import config_value
from app.services.wechat import WX_MINA
from app.services.wechat_platform import outbox

logger = logging.getLogger(__name__)

SEND_PATH = "/cgi-bin/message/subscribe/send"
ORDER_PAID = "wechat.subscribe.order_paid"
ORDER_DELIVERED = "wechat.subscribe.order_delivered"
REFUND_SETTLED = "wechat.subscribe.refund_settled"
AFTER_SALE_DECIDED = "wechat.subscribe.after_sale_decided"
EVENTS = (ORDER_PAID, ORDER_DELIVERED, REFUND_SETTLED, AFTER_SALE_DECIDED)

ORDER_PLACEHOLDERS = (
    "order_id",
    "order_no",
    "snap_name",
    "total_price",
    "total_count",
    "create_time",
    "pay_time",
    "delivery_time",
    "carrier",
    "tracking_no",
    "now",
)
PLACEHOLDERS = {
    ORDER_PAID: ORDER_PLACEHOLDERS,
    ORDER_DELIVERED: ORDER_PLACEHOLDERS,
    REFUND_SETTLED: (*ORDER_PLACEHOLDERS, "refund_amount", "refund_reason"),
    AFTER_SALE_DECIDED: (*ORDER_PLACEHOLDERS, "decision", "reason"),
}
# Longest value WeChat accepts per data field type (the key without its number).
VALUE_LIMITS = {
    "thing": 20,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "phrase": 5,
    "name": 10,
    "car_number": 8,
    "phone_number": 17,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TIME_FORMAT = "%Y-%m-%d %H:%M"


class TemplateError(ValueError):
    """A configured template cannot be used (logged; nothing is queued)."""


def _template(event: str) -> dict | None:
    value = config_value(event)
    if value is None or value == "" or (isinstance(value, dict) and not value.get("template_id")):
        return None
    if not (
        isinstance(value, dict)
        and isinstance(value.get("template_id"), str)
        and isinstance(value.get("data"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value["data"].items())
        and isinstance(value.get("page", ""), str)
    ):
        raise TemplateError(f"{event}: needs template_id (text) and data (text values)")
    return value


def _time(ts: int | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, ZoneInfo(current_app.config["TIMEZONE"])).strftime(
        TIME_FORMAT
    )


def _order_values(order: Order) -> dict:
    return {
        "order_id": str(order.id),
        "order_no": order.order_no,
        "snap_name": order.snap_name,
        "total_price": money_text(order.total_price),
        "total_count": str(order.total_count),
        "create_time": _time(order.create_time),
        "pay_time": _time(order.pay_time),
        "delivery_time": _time(order.delivery_time),
        "carrier": order.carrier or "",
        "tracking_no": order.tracking_no or "",
        "now": _time(now()),
    }


def _fill(event: str, pattern: str, values: dict) -> str:
    def replace(match):
        name = match.group(1)
        if name not in PLACEHOLDERS[event]:
            raise TemplateError(f"{event}: unknown placeholder {{{name}}}")
        return values.get(name, "")

    return _PLACEHOLDER.sub(replace, pattern)


def fit(field: str, text: str) -> str:
    """A value cut to the length WeChat accepts for the data field (thing1: 20, ...)."""
    limit = VALUE_LIMITS.get(field.rstrip("0123456789"))
    return text[:limit] if limit else text


def message_body(event: str, template: dict, openid: str, values: dict) -> dict:
    """The subscribe/send body of one event."""
    body = {
        "touser": openid,
        "template_id": template["template_id"],
        "data": {
            field: {"value": fit(field, _fill(event, pattern, values))}
            for field, pattern in template["data"].items()
        },
    }
    if template.get("page"):
        body["page"] = _fill(event, template["page"], values)
    for option in ("miniprogram_state", "lang"):
        if isinstance(template.get(option), str) and template[option]:
            body[option] = template[option]
    return body


def queue_event(event: str, order_id: int, extra: dict | None = None) -> OutboxMessage | None:
    """Queue the event's message to the order's customer in the caller's transaction (no
    commit); None when no template is configured or the customer has no WeChat openid."""
    try:
        template = _template(event)
        if template is None:
            return None
        order = db.session.get(Order, order_id, populate_existing=True)
        openid = db.session.scalar(
            select(Identity.identifier).where(
                Identity.user_id == order.user_id, Identity.type == WX_MINA
            )
        )
        if not openid:
            return None
        body = message_body(event, template, openid, {**_order_values(order), **(extra or {})})
    except TemplateError as error:
        logger.warning("subscription message not queued: %s", error)
        return None
    return outbox.enqueue(KIND_MESSAGE, SEND_PATH, body, order_id=order_id)


def queue_order_paid(order_id: int) -> OutboxMessage | None:
    return queue_event(ORDER_PAID, order_id)


def queue_order_delivered(order_id: int) -> OutboxMessage | None:
    return queue_event(ORDER_DELIVERED, order_id)


def queue_refund_settled(order_id: int, amount_fen: int, reason: str = "") -> OutboxMessage | None:
    return queue_event(
        REFUND_SETTLED,
        order_id,
        {"refund_amount": money_text(fen_to_yuan(amount_fen)), "refund_reason": reason},
    )


def queue_after_sale_decided(
    order_id: int, *, approved: bool, reason: str = ""
) -> OutboxMessage | None:
    """For the after-sales module: call it in the transaction that records the decision on an
    order's after-sale request. Placeholders `{decision}` (同意 / 拒绝) and `{reason}`."""
    return queue_event(
        AFTER_SALE_DECIDED,
        order_id,
        {"decision": "同意" if approved else "拒绝", "reason": reason},
    )
