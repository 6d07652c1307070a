"""Admin order routes."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import (
    BOOL,
    INT,
    MONEY,
    OPT_TIME,
    STR,
    TIME,
    arr,
    doc,
    nullable,
    obj,
    page_of,
    path_ids,
    properties_of,
)
from app.core.pagination import paginate
from app.core.response import created, ok
from app.schemas.base import admin_view
from app.schemas.order import OrderDetail, OrderSummary
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

ORDER_SUMMARY_FIELDS = properties_of(admin_view(OrderSummary))
ORDER_DETAIL_FIELDS = properties_of(admin_view(OrderDetail))

MODULE = "订单"
ADMIN_SUMMARY_FIELDS = dict(ORDER_SUMMARY_FIELDS, user_nickname=STR)
ADMIN_ORDER_SUMMARY = obj(list(ADMIN_SUMMARY_FIELDS), **ADMIN_SUMMARY_FIELDS)
EVENT = obj(
    ["from_status", "to_status", "actor_type", "actor_id", "reason", "create_time"],
    from_status=nullable(INT),
    to_status=INT,
    actor_type=STR,
    actor_id=nullable(INT),
    reason=STR,
    create_time=TIME,
)
PAYMENT = obj(
    ["id", "transaction_id", "amount", "trade_state", "success_time", "needs_refund"],
    id=INT,
    transaction_id=STR,
    amount=MONEY,
    trade_state=STR,
    success_time=OPT_TIME,
    needs_refund=BOOL,
)
REFUND = obj(
    ["id", "out_refund_no", "amount", "status", "reason", "success_time", "create_time"],
    id=INT,
    out_refund_no=STR,
    amount=MONEY,
    status=STR,
    reason=STR,
    success_time=OPT_TIME,
    create_time=TIME,
)
ADMIN_DETAIL_FIELDS = dict(
    ORDER_DETAIL_FIELDS,
    user_nickname=STR,
    stock_released=BOOL,
    events=arr(EVENT),
    payments=arr(PAYMENT),
    refunds=arr(REFUND),
)
ADMIN_ORDER_DETAIL = obj(list(ADMIN_DETAIL_FIELDS), **ADMIN_DETAIL_FIELDS)
ID_PATH = path_ids("id")


def _list(form, **filters):
    statement = orders.order_query(admin=True, **filters)
    return ok(paginate(statement, form, lambda order: order.to_admin_summary()))


def _filtered_list():
    form = AdminOrderListForm().validate_or_raise()
    return _list(
        form,
        user_id=form.user_id.data,
        statuses=form.status.data,
        start=form.start.data,
        end=form.end.data,
        order_no=form.order_no.data,
    )


@bp.get("/list")
@permission("查询订单列表", MODULE)
@doc("List orders", query=AdminOrderListForm, data=page_of(ADMIN_ORDER_SUMMARY))
def list_orders():
    """List orders with filters, newest first."""
    return _filtered_list()


@bp.get("/search")
@permission("查询订单列表", MODULE)
@doc("Search orders", query=AdminOrderListForm, data=page_of(ADMIN_ORDER_SUMMARY))
def search_orders():
    """Search orders (same filters as the list)."""
    return _filtered_list()


@bp.get("/list/by_user")
@permission("查询订单列表", MODULE)
@doc("List orders of a user", query=AdminOrderByUserForm, data=page_of(ADMIN_ORDER_SUMMARY))
def list_orders_by_user():
    """List the orders of one user (or of everyone), newest first."""
    form = AdminOrderByUserForm().validate_or_raise()
    return _list(form, user_id=form.uid.data, statuses=form.status.data)


@bp.get("/<int:id>")
@permission("查询订单列表", MODULE)
@doc("Get an order", data=ADMIN_ORDER_DETAIL, path=ID_PATH)
def get_order(id):
    """Show an order with its events, payments and refunds."""
    return ok(orders.get_order(id).to_admin_detail())


@bp.put("/delivery")
@permission("订单发货", MODULE)
@doc("Ship an order", body=DeliveryByBodyForm, data=ADMIN_ORDER_DETAIL, status=201)
def deliver_order_by_body():
    """Ship the order named in the body with a carrier and tracking number."""
    form = DeliveryByBodyForm().validate_or_raise()
    order = orders.deliver_order(
        form.order_id.data, current_user().id, form.carrier.data, form.tracking_no.data
    )
    return created(order.to_admin_detail())


@bp.put("/<int:id>/delivery")
@permission("订单发货", MODULE)
@doc("Ship an order", body=DeliveryForm, data=ADMIN_ORDER_DETAIL, status=201, path=ID_PATH)
def deliver_order(id):
    """Ship an order with a carrier and tracking number."""
    form = DeliveryForm().validate_or_raise()
    order = orders.deliver_order(id, current_user().id, form.carrier.data, form.tracking_no.data)
    return created(order.to_admin_detail())


@bp.put("/<int:id>/cancel")
@permission("取消订单", MODULE)
@doc(
    "Cancel an unpaid order",
    body=AdminCancelForm,
    data=ADMIN_ORDER_DETAIL,
    status=201,
    path=ID_PATH,
)
def cancel_order(id):
    """Cancel an unpaid order and release its stock."""
    form = AdminCancelForm().validate_or_raise()
    order = orders.cancel_order(id, "admin", current_user().id, reason=form.reason.data or "")
    return created(order.to_admin_detail())


@bp.post("/<int:id>/refund")
@permission("订单退款", MODULE)
@doc(
    "Refund a paid order in full",
    body=RefundForm,
    data=ADMIN_ORDER_DETAIL,
    status=201,
    path=ID_PATH,
)
def refund_order(id):
    """Request a full WeChat refund of a paid order."""
    form = RefundForm().validate_or_raise()
    order = payment.request_refund(id, current_user().id, form.reason.data or "")
    return created(order.to_admin_detail())


@bp.put("/<int:id>/restock")
@permission("处理缺货订单", MODULE)
@doc(
    "Reserve stock again for a paid-but-out-of-stock order",
    data=ADMIN_ORDER_DETAIL,
    status=201,
    path=ID_PATH,
)
def restock_order(id):
    """Reserve stock again for an order paid after its cancellation."""
    return created(orders.restock_order(id, current_user().id).to_admin_detail())
