"""Admin order routes."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user
from app.core.exceptions import (
    Conflict,
    OrderNotFound,
    OrderStatusConflict,
    OutOfStock,
    PayNotConfigured,
    WeChatPayError,
)
from app.core.pagination import paginate
from app.schemas.base import Page
from app.schemas.order import AdminOrderDetail, AdminOrderSummary
from app.services import orders, payment
from app.validators.order import (
    AdminCancelForm,
    AdminOrderByUserForm,
    AdminOrderListForm,
    DeliveryByBodyForm,
    DeliveryForm,
    RefundForm,
)

bp = Blueprint("order", __name__, url_prefix="/order")

MODULE = "订单"
READ = "查询订单列表"
SHIP = "订单发货"
STATUS_ERRORS = [OrderNotFound, OrderStatusConflict]


def _list(form, **filters):
    statement = orders.order_query(admin=True, **filters)
    return paginate(statement, form)


def _filtered_list(form):
    return _list(form, **form.filters())


def _deliver(order_id: int, form):
    return orders.deliver_order(
        order_id,
        current_user().id,
        form.carrier.data,
        form.tracking_no.data,
        logistics_type=form.logistics_type.data,
        item_desc=form.item_desc.data,
    )


all_orders = Resource(bp, MODULE, shape=AdminOrderDetail, missing=[OrderNotFound])
all_orders.list(
    "list_orders",
    READ,
    "List orders",
    "List orders with filters, newest first.",
    _filtered_list,
    form=AdminOrderListForm,
    data=Page(AdminOrderSummary),
)
all_orders.view(
    "GET",
    "/search",
    "search_orders",
    READ,
    "Search orders",
    "Search orders (same filters as the list).",
    _filtered_list,
    query=AdminOrderListForm,
    data=Page(AdminOrderSummary),
)
all_orders.view(
    "GET",
    "/list/by_user",
    "list_orders_by_user",
    READ,
    "List orders of a user",
    "List the orders of one user (or of everyone), newest first.",
    lambda form: _list(form, user_id=form.uid.data, statuses=form.status.data),
    query=AdminOrderByUserForm,
    data=Page(AdminOrderSummary),
)
all_orders.get(
    "get_order",
    READ,
    "Get an order",
    "Show an order with its events, payments and refunds.",
    orders.get_order,
)
all_orders.view(
    "PUT",
    "/delivery",
    "deliver_order_by_body",
    SHIP,
    "Ship an order",
    "Ship the order named in the body; WeChat Pay orders are reported to WeChat.",
    lambda form: _deliver(form.order_id.data, form),
    body=DeliveryByBodyForm,
    errors=STATUS_ERRORS,
)
all_orders.view(
    "PUT",
    "/<int:id>/delivery",
    "deliver_order",
    SHIP,
    "Ship an order",
    "Ship an order; WeChat Pay orders are reported to WeChat.",
    _deliver,
    body=DeliveryForm,
    errors=STATUS_ERRORS,
)
all_orders.view(
    "PUT",
    "/<int:id>/cancel",
    "cancel_order",
    "取消订单",
    "Cancel an unpaid order",
    "Cancel an unpaid order and release its stock.",
    lambda id, form: orders.cancel_order(
        id, "admin", current_user().id, reason=form.reason.data or ""
    ),
    body=AdminCancelForm,
    errors=STATUS_ERRORS,
)
all_orders.view(
    "POST",
    "/<int:id>/refund",
    "refund_order",
    "订单退款",
    "Refund a paid order in full",
    "Request a full WeChat refund of a paid order.",
    lambda id, form: payment.request_refund(id, current_user().id, form.reason.data or ""),
    body=RefundForm,
    errors=[OrderNotFound, OrderStatusConflict, PayNotConfigured, WeChatPayError],
)
all_orders.view(
    "PUT",
    "/<int:id>/restock",
    "restock_order",
    "处理缺货订单",
    "Reserve stock again for a paid-but-out-of-stock order",
    "Reserve stock again for an order paid after its cancellation.",
    lambda id: orders.restock_order(id, current_user().id),
    errors=[OrderNotFound, OrderStatusConflict, OutOfStock, Conflict],
)
