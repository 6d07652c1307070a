"""Admin order routes."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids
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
ID_PATH = path_ids("id")


def _list(form, **filters):
    statement = orders.order_query(admin=True, **filters)
    return paginate(statement, form)


def _filtered_list():
    form = AdminOrderListForm().validate_or_raise()
    return _list(form, **form.filters())


@bp.get("/list")
@permission("查询订单列表", MODULE)
@doc("List orders", query=AdminOrderListForm, data=Page(AdminOrderSummary))
def list_orders():
    """List orders with filters, newest first."""
    return _filtered_list()


@bp.get("/search")
@permission("查询订单列表", MODULE)
@doc("Search orders", query=AdminOrderListForm, data=Page(AdminOrderSummary))
def search_orders():
    """Search orders (same filters as the list)."""
    return _filtered_list()


@bp.get("/list/by_user")
@permission("查询订单列表", MODULE)
@doc("List orders of a user", query=AdminOrderByUserForm, data=Page(AdminOrderSummary))
def list_orders_by_user():
    """List the orders of one user (or of everyone), newest first."""
    form = AdminOrderByUserForm().validate_or_raise()
    return _list(form, user_id=form.uid.data, statuses=form.status.data)


@bp.get("/<int:id>")
@permission("查询订单列表", MODULE)
@doc("Get an order", data=AdminOrderDetail, path=ID_PATH, errors=[OrderNotFound])
def get_order(id):
    """Show an order with its events, payments and refunds."""
    return orders.get_order(id)


@bp.put("/delivery")
@permission("订单发货", MODULE)
@doc(
    "Ship an order",
    body=DeliveryByBodyForm,
    data=AdminOrderDetail,
    status=201,
    errors=[OrderNotFound, OrderStatusConflict],
)
def deliver_order_by_body():
    """Ship the order named in the body; WeChat Pay orders are reported to WeChat."""
    form = DeliveryByBodyForm().validate_or_raise()
    return _deliver(form.order_id.data, form)


@bp.put("/<int:id>/delivery")
@permission("订单发货", MODULE)
@doc(
    "Ship an order",
    body=DeliveryForm,
    data=AdminOrderDetail,
    status=201,
    path=ID_PATH,
    errors=[OrderNotFound, OrderStatusConflict],
)
def deliver_order(id):
    """Ship an order; WeChat Pay orders are reported to WeChat."""
    form = DeliveryForm().validate_or_raise()
    return _deliver(id, form)


def _deliver(order_id: int, form):
    return orders.deliver_order(
        order_id,
        current_user().id,
        form.carrier.data,
        form.tracking_no.data,
        logistics_type=form.logistics_type.data,
        item_desc=form.item_desc.data,
    )


@bp.put("/<int:id>/cancel")
@permission("取消订单", MODULE)
@doc(
    "Cancel an unpaid order",
    body=AdminCancelForm,
    data=AdminOrderDetail,
    status=201,
    path=ID_PATH,
    errors=[OrderNotFound, OrderStatusConflict],
)
def cancel_order(id):
    """Cancel an unpaid order and release its stock."""
    form = AdminCancelForm().validate_or_raise()
    return orders.cancel_order(id, "admin", current_user().id, reason=form.reason.data or "")


@bp.post("/<int:id>/refund")
@permission("订单退款", MODULE)
@doc(
    "Refund a paid order in full",
    body=RefundForm,
    data=AdminOrderDetail,
    status=201,
    path=ID_PATH,
    errors=[OrderNotFound, OrderStatusConflict, PayNotConfigured, WeChatPayError],
)
def refund_order(id):
    """Request a full WeChat refund of a paid order."""
    form = RefundForm().validate_or_raise()
    return payment.request_refund(id, current_user().id, form.reason.data or "")


@bp.put("/<int:id>/restock")
@permission("处理缺货订单", MODULE)
@doc(
    "Reserve stock again for a paid-but-out-of-stock order",
    data=AdminOrderDetail,
    status=201,
    path=ID_PATH,
    errors=[OrderNotFound, OrderStatusConflict, OutOfStock, Conflict],
)
def restock_order(id):
    """Reserve stock again for an order paid after its cancellation."""
    return orders.restock_order(id, current_user().id)
