"""Admin reconciliation reports: the days `flask --app server pay reconcile` compared."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import ReconcileReportNotFound
from app.schemas.base import Page
from app.schemas.reconcile import AdminReconcileDay, AdminReconcileItem
from app.services import reconcile
from app.validators.reconcile import ReconcileItemsForm, ReconcileListForm

bp = Blueprint("reconcile", __name__, url_prefix="/pay/reconcile")

MODULE = "支付对账"
READ = "查询对账报告"
ID_PATH = path_ids("id")


@bp.get("")
@permission(READ, MODULE)
@doc("List reconciliation reports", query=ReconcileListForm, data=Page(AdminReconcileDay))
def list_reports():
    """List the reconciled days with their counts, newest day first."""
    form = ReconcileListForm().validate_or_raise()
    return reconcile.reports_page(form, form.bill_date.data)


@bp.get("/<int:id>")
@permission(READ, MODULE)
@doc(
    "Get a reconciliation report",
    data=AdminReconcileDay,
    path=ID_PATH,
    errors=[ReconcileReportNotFound],
)
def get_report(id):
    """Show one day's report: bill totals and how many rows matched or not."""
    return reconcile.get_report(id)


@bp.get("/<int:id>/items")
@permission(READ, MODULE)
@doc(
    "List the compared rows of a reconciliation report",
    query=ReconcileItemsForm,
    data=Page(AdminReconcileItem),
    path=ID_PATH,
    errors=[ReconcileReportNotFound],
)
def list_report_items(id):
    """List a day's compared rows (filter by outcome or kind), in comparison order."""
    form = ReconcileItemsForm().validate_or_raise()
    return reconcile.items_page(id, form, form.category.data, form.kind.data)
