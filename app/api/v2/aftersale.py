"""Admin after-sale routes: list and search, detail with events, approve, reject, receive the
returned goods, restock, retry a refund."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids
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
ID_PATH = path_ids("id")
FILTERS = ("status", "order_no", "user_id", "start", "end")
REFUND_ERRORS = [
    AfterSaleNotFound,
    AfterSaleStatusConflict,
    RefundExceedsPaid,
    PayNotConfigured,
    WeChatPayError,
]


def _filtered_list():
    form = AdminAfterSaleListForm().validate_or_raise()
    return aftersale.admin_after_sale_page(form, **{name: form[name].data for name in FILTERS})


@bp.get("/list")
@permission("查询售后列表", MODULE)
@doc("List after-sales", query=AdminAfterSaleListForm, data=Page(AdminAfterSaleSummary))
def list_after_sales():
    """List after-sales with filters, newest first."""
    return _filtered_list()


@bp.get("/search")
@permission("查询售后列表", MODULE)
@doc("Search after-sales", query=AdminAfterSaleListForm, data=Page(AdminAfterSaleSummary))
def search_after_sales():
    """Search after-sales (same filters as the list)."""
    return _filtered_list()


@bp.get("/<int:id>")
@permission("查询售后列表", MODULE)
@doc("Get an after-sale", data=AdminAfterSale, path=ID_PATH, errors=[AfterSaleNotFound])
def get_after_sale(id):
    """Show an after-sale with its lines, events and refunds."""
    return aftersale.get_after_sale(id)


@bp.put("/<int:id>/approve")
@permission("审核售后", MODULE)
@doc(
    "Approve an after-sale",
    body=AfterSaleApproveForm,
    data=AdminAfterSale,
    status=201,
    path=ID_PATH,
    errors=REFUND_ERRORS,
)
def approve_after_sale(id):
    """Approve a pending after-sale: a refund only is refunded at once through WeChat Pay (a
    WeChat error answers 502 and leaves it REFUND_FAILED, to retry); a return waits for its
    goods."""
    form = AfterSaleApproveForm().validate_or_raise()
    return aftersale.approve_after_sale(id, current_user().id, form.reason.data or "")


@bp.put("/<int:id>/reject")
@permission("审核售后", MODULE)
@doc(
    "Reject an after-sale",
    body=AfterSaleRejectForm,
    data=AdminAfterSale,
    status=201,
    path=ID_PATH,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
def reject_after_sale(id):
    """Reject an after-sale not refunded yet, with the reason the customer sees."""
    form = AfterSaleRejectForm().validate_or_raise()
    return aftersale.reject_after_sale(id, current_user().id, form.reason.data)


@bp.put("/<int:id>/receive")
@permission("售后收货退款", MODULE)
@doc(
    "Confirm the returned goods arrived",
    body=AfterSaleReceiveForm,
    data=AdminAfterSale,
    status=201,
    path=ID_PATH,
    errors=REFUND_ERRORS,
)
def receive_after_sale(id):
    """Confirm the goods of an approved return arrived and refund them (`restock`: put them
    back into stock too)."""
    form = AfterSaleReceiveForm().validate_or_raise()
    return aftersale.receive_after_sale(id, current_user().id, restock=form.restock.data)


@bp.put("/<int:id>/refund")
@permission("售后收货退款", MODULE)
@doc(
    "Retry an after-sale's refund",
    data=AdminAfterSale,
    status=201,
    path=ID_PATH,
    errors=REFUND_ERRORS,
)
def retry_after_sale_refund(id):
    """Ask WeChat Pay again for a refund that failed, or that WeChat never answered."""
    return aftersale.retry_refund(id, current_user().id)


@bp.put("/<int:id>/restock")
@permission("售后入库", MODULE)
@doc(
    "Put an after-sale's units back into stock",
    data=AdminAfterSale,
    status=201,
    path=ID_PATH,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
def restock_after_sale(id):
    """Put the units of a refunded return (or of a never shipped order) back into their SKUs'
    stock, exactly once."""
    return aftersale.restock_after_sale(id, current_user().id)
