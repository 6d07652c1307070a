"""Forms of the stats routes (/v2/stats). Days are YYYY-MM-DD in the shop's time zone."""

from app.core.forms import BaseForm, EnumField, IntegerField
from app.services.stats import GRANULARITIES, METRICS, TOP_BY, TOP_MAX_DAYS, TOP_MAX_LIMIT
from app.validators.reconcile import DateField


class StatsTrendForm(BaseForm):
    metric = EnumField(
        choices=tuple(METRICS), default="gmv", description="what to count (default gmv)"
    )
    granularity = EnumField(
        choices=GRANULARITIES, default="day", description="bucket size (default day)"
    )


# `from` is a Python keyword, so that field is set by name (WTForms notices the new field).
setattr(  # noqa: B010
    StatsTrendForm,
    "from",
    DateField(description="first day, YYYY-MM-DD (default: 30 days, 12 weeks or 12 months)"),
)
StatsTrendForm.to = DateField(description="last day, YYYY-MM-DD (default: today)")


class StatsTopForm(BaseForm):
    by = EnumField(
        choices=TOP_BY, default="sales", description="rank by units or line amount (default sales)"
    )
    days = IntegerField(
        min_value=1,
        max_value=TOP_MAX_DAYS,
        default=30,
        description="the last days, today too (default 30)",
    )
    limit = IntegerField(
        min_value=1, max_value=TOP_MAX_LIMIT, default=10, description="products (default 10)"
    )
