"""Admin reconciliation reports: the days `flask --app server pay reconcile` compared."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import ReconcileReportNotFound
from app.schemas.base import Page
from app.schemas.reconcile import AdminReconcileDay, AdminReconcileItem
from app.services import reconcile
from app.validators.reconcile import ReconcileItemsForm, ReconcileListForm

bp = Blueprint("reconcile", __name__, url_prefix="/pay/reconcile")

MODULE = "支付对账"
READ = "查询对账报告"


reports = Resource(bp, MODULE, shape=AdminReconcileDay, missing=[ReconcileReportNotFound])
reports.view(
    "GET",
    "",
    "list_reports",
    READ,
    "List reconciliation reports",
    "List the reconciled days with their counts, newest day first.",
    lambda form: reconcile.reports_page(form, form.bill_date.data),
    query=ReconcileListForm,
    data=Page(AdminReconcileDay),
)
reports.get(
    "get_report",
    READ,
    "Get a reconciliation report",
    "Show one day's report: bill totals and how many rows matched or not.",
    reconcile.get_report,
)
reports.view(
    "GET",
    "/<int:id>/items",
    "list_report_items",
    READ,
    "List the compared rows of a reconciliation report",
    "List a day's compared rows (filter by outcome or kind), in comparison order.",
    lambda id, form: reconcile.items_page(id, form, form.category.data, form.kind.data),
    query=ReconcileItemsForm,
    data=Page(AdminReconcileItem),
    errors=[ReconcileReportNotFound],
)
