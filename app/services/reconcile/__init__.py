"""Daily reconciliation with WeChat Pay, one module per job:

    bill    the v3 trade bill of a day: fetched, hash-checked, parsed
    report  comparing it with our payments and refunds, repairing lost notifications, the
            stored report and its reading

`flask --app server pay reconcile --date YYYY-MM-DD` runs `reconcile`; /v2/pay/reconcile reads
the reports.
"""

from app.services.reconcile.bill import BillRow, TradeBill, parse
from app.services.reconcile.report import (
    day_window,
    get_report,
    items_page,
    reconcile,
    reports_page,
    yesterday,
)

__all__ = [
    "BillRow",
    "TradeBill",
    "day_window",
    "get_report",
    "items_page",
    "parse",
    "reconcile",
    "reports_page",
    "yesterday",
]
