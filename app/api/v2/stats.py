"""Shop statistics: the dashboard's overview, trends and best sellers (the shop's time zone)."""

from flask import Blueprint, current_app

from app.core.auth import permission
from app.core.docs import doc
from app.core.exceptions import StatsRangeInvalid
from app.schemas.stats import StatsOverview, StatsTop, StatsTrend
from app.services import stats
from app.validators.stats import StatsTopForm, StatsTrendForm

bp = Blueprint("stats", __name__, url_prefix="/stats")

MODULE = "统计"
READ = "查看统计"


@bp.get("/overview")
@permission(READ, MODULE)
@doc("Get the shop's figures at a glance", data=StatsOverview)
def get_overview():
    """Answer paid amount, orders, refunds, customers and conversion of today, yesterday, the
    last 7 and 30 days, with the orders waiting for delivery and the SKUs low on stock."""
    return stats.overview(current_app.config["SKU_LOW_STOCK_THRESHOLD"])


@bp.get("/trend")
@permission(READ, MODULE)
@doc(
    "Get a metric per day, week or month",
    query=StatsTrendForm,
    data=StatsTrend,
    errors=[StatsRangeInvalid],
)
def get_trend():
    """Answer the metric per bucket from `from` to `to` (both included), zero-filled; at most
    366 days by day, 731 by week, 1096 by month."""
    form = StatsTrendForm().validate_or_raise()
    return stats.trend(form.metric.data, form.granularity.data, form["from"].data, form.to.data)


@bp.get("/products/top")
@permission(READ, MODULE)
@doc("List the best-selling products", query=StatsTopForm, data=StatsTop)
def list_top_products():
    """List the products of the orders paid in the last `days` days by units or paid amount,
    each with its SKUs."""
    form = StatsTopForm().validate_or_raise()
    return stats.top_products(form.by.data, form.days.data, form.limit.data)
