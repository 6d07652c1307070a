"""Stats shapes (admin): the overview, a trend, the best sellers. Amounts are money text,
days YYYY-MM-DD in the shop's time zone (`timezone`)."""

from app.schemas.base import ADMIN, FieldGroup, Int, List, Money, Nested, Shape, Str


class StatsPeriod(Shape):
    """One period's figures. Paid: orders whose payment falls in the period (paid_amount sums
    their total_price). Refunded: refunds that succeeded in the period, whatever the order.
    Conversion: of the orders placed in the period, the share paid since."""

    audience = ADMIN

    start_date = Str()
    end_date = Str()
    paid_amount = Money()
    paid_orders = Int()
    average_order_value = Money(allow_none=True, metadata={"description": "null without orders"})
    refunded_amount = Money()
    refunds = Int()
    new_customers = Int()
    placed_orders = Int()
    placed_paid = Int(metadata={"description": "orders placed in the period and paid since"})
    conversion_rate = Str(
        allow_none=True,
        metadata={"description": "placed_paid / placed_orders, 4 decimals; null without orders"},
    )


class StatsPeriods(Shape):
    audience = ADMIN

    today = Nested(StatsPeriod)
    yesterday = Nested(StatsPeriod)
    last_7_days = Nested(StatsPeriod)
    last_30_days = Nested(StatsPeriod)


class StatsOverview(Shape):
    """Today, yesterday, the last 7 and 30 days (ending today), and what waits on the shop."""

    audience = ADMIN

    timezone = Str()
    today = Str()
    periods = Nested(StatsPeriods)
    awaiting_delivery = Int(metadata={"description": "orders paid and not delivered yet"})
    low_stock_skus = Int(metadata={"description": "as GET /v2/product/low_stock counts them"})
    low_stock_threshold = Int()
    open_aftersales = Int(
        metadata={"description": "after-sales pending, approved, shipped back, refunding or failed"}
    )


class Days(FieldGroup):
    """The shop's time zone, and the first and last day of a range."""

    timezone = Str()
    start_date = Str()
    end_date = Str()


class Tally(FieldGroup):
    """How many, and how much (`amount` is null for a metric that only counts)."""

    count = Int()
    amount = Money(allow_none=True)


class Sold(FieldGroup):
    """What a best seller sold: units, and their amount at the lines' prices."""

    units = Int()
    amount = Money()


class StatsPoint(Days, Tally, Shape):
    """One bucket: `date` is its first day (the day, the ISO week's Monday, the month's 1st);
    start_date..end_date the days of the range it covers. `amount` is null for counts only."""

    audience = ADMIN

    answers = "date start_date end_date count amount"
    date = Str()


class StatsTrend(Days, Tally, Shape):
    """A metric per bucket, every bucket of the range present: gmv (paid orders, paid amount),
    orders (placed), customers (new), refunds (succeeded, refunded amount)."""

    audience = ADMIN

    answers = "timezone metric granularity start_date end_date count amount points"
    metric = Str()
    granularity = Str()
    points = List(Nested(StatsPoint))


class StatsTopSku(Sold, Shape):
    """A SKU of a best seller (sku_id null on lines older than SKUs; spec as the lines say)."""

    audience = ADMIN

    answers = "sku_id spec units amount"
    sku_id = Int(allow_none=True)
    spec = Str()


class StatsTopProduct(Sold, Shape):
    audience = ADMIN

    answers = "product_id name units amount skus"
    product_id = Int()
    name = Str()
    skus = List(Nested(StatsTopSku))


class StatsTop(Days, Shape):
    """The best sellers of the orders paid in the last `days` days (lines at their price)."""

    audience = ADMIN

    answers = "timezone by days start_date end_date items"
    by = Str()
    days = Int()
    items = List(Nested(StatsTopProduct))
