"""Orders, one module per job:

    machine      the status machine (`transition`, `move`): the only way a status changes
    stock        reserving and releasing units (at most once per order)
    quote        what an order of some lines holds and costs (preview and placement)
    placement    placing an order
    idempotency  Idempotency-Key handling of POST /v1/order
    reading      one order, the list statement
    status       cancel, receive, deliver, restock
    payments     recording a payment WeChat reported
    refunds      refund rows, started and settled once (the full refund gives back the rest)
    aftersale_money  after-sales' status machine and money: reserving a partial refund on
                 the order and its lines under the order's lock, settling it
    expiry       the `order expire` command
    gateway      the payment-service verbs create_app hands the workflows above

The verbs are re-exported here, so `from app.services import orders; orders.place_order(...)`
is how the views call them.
"""

from app.services.orders.expiry import expire_orders
from app.services.orders.gateway import init_gateway
from app.services.orders.idempotency import (
    IDEMPOTENCY_TTL,
    IdempotentRequest,
    Replay,
    request_hash,
)
from app.services.orders.machine import DELIVERABLE, REFUNDABLE, TRANSITIONS, S, move, transition
from app.services.orders.payments import record_payment
from app.services.orders.placement import Checkout, place_order, read_checkout
from app.services.orders.quote import ORDER_TOTAL_MAX, Quote, preview_order
from app.services.orders.reading import get_order, get_user_order, order_coupon, order_query
from app.services.orders.refunds import settle_refund, start_refund
from app.services.orders.status import (
    cancel_order,
    cancel_user_unpaid_orders,
    deliver_order,
    receive_order,
    restock_order,
)
from app.services.orders.stock import release_stock, reserve_stock

__all__ = [
    "DELIVERABLE",
    "Checkout",
    "IDEMPOTENCY_TTL",
    "IdempotentRequest",
    "ORDER_TOTAL_MAX",
    "REFUNDABLE",
    "TRANSITIONS",
    "Quote",
    "Replay",
    "S",
    "cancel_order",
    "cancel_user_unpaid_orders",
    "deliver_order",
    "expire_orders",
    "get_order",
    "get_user_order",
    "init_gateway",
    "move",
    "order_coupon",
    "order_query",
    "place_order",
    "preview_order",
    "read_checkout",
    "receive_order",
    "record_payment",
    "release_stock",
    "request_hash",
    "reserve_stock",
    "restock_order",
    "settle_refund",
    "start_refund",
    "transition",
]
