"""Shop statistics, one module per job:

    days     the shop's days (config TIMEZONE), and counting days from the raw rows
    rollup   the daily rollup: payments and refunds counted as they happen, `rebuild`
    reading  the overview, trends and best sellers the /v2/stats routes answer

`flask --app server stats rebuild [--from --to]` recomputes the rollup.
"""

from app.services.stats.days import Counters, count_days, local_day, today
from app.services.stats.reading import (
    GRANULARITIES,
    MAX_DAYS,
    METRICS,
    TOP_BY,
    TOP_MAX_DAYS,
    TOP_MAX_LIMIT,
    day_counts,
    overview,
    top_products,
    trend,
)
from app.services.stats.rollup import count_payment, count_refund, default_range, rebuild

__all__ = [
    "GRANULARITIES",
    "MAX_DAYS",
    "METRICS",
    "TOP_BY",
    "TOP_MAX_DAYS",
    "TOP_MAX_LIMIT",
    "Counters",
    "count_days",
    "count_payment",
    "count_refund",
    "day_counts",
    "default_range",
    "local_day",
    "overview",
    "rebuild",
    "today",
    "top_products",
    "trend",
]
