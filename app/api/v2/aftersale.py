"""Admin after-sale routes: list and search, detail with events, approve, reject, receive the
returned goods, restock, retry a refund."""

from flask import Blueprint

from app.api.resource import Resource, caller_id, values_of
from app.core.exceptions import (
    AfterSaleNotFound,
    AfterSaleStatusConflict,
    PayNotConfigured,
    RefundExceedsPaid,
    WeChatPayError,
)
from app.schemas.aftersale import AdminAfterSale, AdminAfterSaleSummary
from app.schemas.base import Page
from app.services import aftersale
from app.validators.aftersale import (
    AdminAfterSaleListForm,
    AfterSaleApproveForm,
    AfterSaleReceiveForm,
    AfterSaleRejectForm,
)

bp = Blueprint("aftersale", __name__, url_prefix="/aftersale")

MODULE = "售后"
READ = "查询售后列表"
REVIEW = "审核售后"
REFUND = "售后收货退款"
FILTERS = ("status", "order_no", "user_id", "start", "end")
REFUND_ERRORS = [
    AfterSaleNotFound,
    AfterSaleStatusConflict,
    RefundExceedsPaid,
    PayNotConfigured,
    WeChatPayError,
]


def _page(form):
    return aftersale.admin_after_sale_page(form, **values_of(form, FILTERS))


after_sales = Resource(bp, MODULE, shape=AdminAfterSale, missing=[AfterSaleNotFound])
after_sales.list(
    "list_after_sales",
    READ,
    "List after-sales",
    "List after-sales with filters, newest first.",
    _page,
    form=AdminAfterSaleListForm,
    data=Page(AdminAfterSaleSummary),
)
after_sales.view(
    "GET",
    "/search",
    "search_after_sales",
    READ,
    "Search after-sales",
    "Search after-sales (same filters as the list).",
    _page,
    query=AdminAfterSaleListForm,
    data=Page(AdminAfterSaleSummary),
)
after_sales.get(
    "get_after_sale",
    READ,
    "Get an after-sale",
    "Show an after-sale with its lines, events and refunds.",
    aftersale.get_after_sale,
)
after_sales.view(
    "PUT",
    "/<int:id>/approve",
    "approve_after_sale",
    REVIEW,
    "Approve an after-sale",
    """Approve a pending after-sale: a refund only is refunded at once through WeChat Pay (a
    WeChat error answers 502 and leaves it REFUND_FAILED, to retry); a return waits for its
    goods.""",
    lambda id, form: aftersale.approve_after_sale(id, caller_id(), form.reason.data or ""),
    body=AfterSaleApproveForm,
    errors=REFUND_ERRORS,
)
after_sales.view(
    "PUT",
    "/<int:id>/reject",
    "reject_after_sale",
    REVIEW,
    "Reject an after-sale",
    "Reject an after-sale not refunded yet, with the reason the customer sees.",
    lambda id, form: aftersale.reject_after_sale(id, caller_id(), form.reason.data),
    body=AfterSaleRejectForm,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
after_sales.view(
    "PUT",
    "/<int:id>/receive",
    "receive_after_sale",
    REFUND,
    "Confirm the returned goods arrived",
    """Confirm the goods of an approved return arrived and refund them (`restock`: put them
    back into stock too).""",
    lambda id, form: aftersale.receive_after_sale(id, caller_id(), restock=form.restock.data),
    body=AfterSaleReceiveForm,
    errors=REFUND_ERRORS,
)
after_sales.view(
    "PUT",
    "/<int:id>/refund",
    "retry_after_sale_refund",
    REFUND,
    "Retry an after-sale's refund",
    "Ask WeChat Pay again for a refund that failed, or that WeChat never answered.",
    lambda id: aftersale.retry_refund(id, caller_id()),
    errors=REFUND_ERRORS,
)
after_sales.view(
    "PUT",
    "/<int:id>/restock",
    "restock_after_sale",
    "售后入库",
    "Put an after-sale's units back into stock",
    """Put the units of a refunded return (or of a never shipped order) back into their SKUs'
    stock, exactly once.""",
    lambda id: aftersale.restock_after_sale(id, caller_id()),
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
