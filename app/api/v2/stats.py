"""Shop statistics: the dashboard's overview, trends and best sellers (the shop's time zone)."""

from flask import Blueprint, current_app

from app.api.resource import Resource
from app.core.exceptions import StatsRangeInvalid
from app.schemas.stats import StatsOverview, StatsTop, StatsTrend
from app.services import stats
from app.validators.stats import StatsTopForm, StatsTrendForm

bp = Blueprint("stats", __name__, url_prefix="/stats")

MODULE = "统计"
READ = "查看统计"


figures = Resource(bp, MODULE)
figures.view(
    "GET",
    "/overview",
    "get_overview",
    READ,
    "Get the shop's figures at a glance",
    """Answer paid amount, orders, refunds, customers and conversion of today, yesterday, the
    last 7 and 30 days, with the orders waiting for delivery and the SKUs low on stock.""",
    lambda: stats.overview(current_app.config["SKU_LOW_STOCK_THRESHOLD"]),
    data=StatsOverview,
)
figures.view(
    "GET",
    "/trend",
    "get_trend",
    READ,
    "Get a metric per day, week or month",
    """Answer the metric per bucket from `from` to `to` (both included), zero-filled; at most
    366 days by day, 731 by week, 1096 by month.""",
    lambda form: stats.trend(
        form.metric.data, form.granularity.data, form["from"].data, form.to.data
    ),
    query=StatsTrendForm,
    data=StatsTrend,
    errors=[StatsRangeInvalid],
)
figures.view(
    "GET",
    "/products/top",
    "list_top_products",
    READ,
    "List the best-selling products",
    """List the products of the orders paid in the last `days` days by units or paid amount,
    each with its SKUs.""",
    lambda form: stats.top_products(form.by.data, form.days.data, form.limit.data),
    query=StatsTopForm,
    data=StatsTop,
)
