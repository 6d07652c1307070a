"""Prometheus metrics: the counters and histograms the app updates, and the request hooks.

Other code calls the small verbs below (`order_placed()`, `stock_conflict()`, ...), never
prometheus_client itself, so the names and labels live here only. Under gunicorn,
PROMETHEUS_MULTIPROC_DIR (set in the environment before the workers start, see
deploy/gunicorn.conf.py) makes prometheus_client keep each worker's values in files of that
directory; `GET /metrics` (app/api/metrics.py) adds them up, so every worker counts. Without it
(development, tests) the values live in the process.

Order counters count committed changes only: `order_status_changed` notes the move on the
session and the count is added when that session commits (dropped on rollback).
"""

import time

from flask import Flask, g, request
from prometheus_client import Counter, Histogram
from sqlalchemy import event

REQUESTS = Counter(
    "shop_http_requests_total",
    "HTTP requests answered, by route template, method and status",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "shop_http_request_duration_seconds",
    "Time to build the response, by route template and method",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ORDERS = Counter(
    "shop_orders_total",
    "Orders by event: placed, paid, cancelled, refunded (committed)",
    ["event"],
)
STOCK_CONFLICTS = Counter("shop_stock_conflicts_total", "OutOfStock refusals")
COUPON_CONFLICTS = Counter(
    "shop_coupon_conflicts_total", "Coupon refusals (used up, already used, expired)", ["reason"]
)
NOTIFY_FAILED = Counter(
    "shop_notify_verification_failed_total",
    "WeChat Pay notifications refused (signature, data mismatch, unknown order)",
    ["notify", "reason"],
)
CACHE_LOOKUPS = Counter(
    "shop_cache_lookups_total", "Response cache lookups by cache and result", ["cache", "result"]
)

# Status (OrderStatus value) -> event counted when an order reaches it.
# PAID_BUT_OUT_OF (4) is a payment too: one that arrived after the order was cancelled.
_STATUS_EVENTS = {2: "paid", 4: "paid", 7: "cancelled", 9: "refunded"}
_PENDING = "metrics_pending_orders"


# -- verbs the rest of the app calls


def order_placed(session) -> None:
    """Count a placed order when `session` commits."""
    session.info.setdefault(_PENDING, []).append("placed")


def order_status_changed(session, to_status: int) -> None:
    """Count the order event of a move to `to_status` (paid, cancelled, refunded) on commit."""
    name = _STATUS_EVENTS.get(int(to_status))
    if name is not None:
        session.info.setdefault(_PENDING, []).append(name)


def stock_conflict() -> None:
    STOCK_CONFLICTS.inc()


def coupon_conflict(reason: str = "unavailable") -> None:
    """Count a coupon refused at checkout; `reason` a short fixed word (not user text)."""
    COUPON_CONFLICTS.labels(reason=reason).inc()


def notify_failed(notify: str, reason: str) -> None:
    NOTIFY_FAILED.labels(notify=notify, reason=reason).inc()


def cache_lookup(cache: str, hit: bool) -> None:
    CACHE_LOOKUPS.labels(cache=cache, result="hit" if hit else "miss").inc()


# -- wiring


def _committed(session) -> None:
    for name in session.info.pop(_PENDING, ()):
        ORDERS.labels(event=name).inc()


def _rolled_back(session, previous_transaction=None) -> None:
    session.info.pop(_PENDING, None)


def _start_timer() -> None:
    g.metrics_start = time.perf_counter()


def _endpoint() -> str:
    # The route template, never the raw path: ids in URLs would make a series per row.
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


# The labelled series of each (route template, method, status), looked up once per process:
# `labels()` validates and locks on every call, and every request would pay for it. Bounded by
# the routes times the statuses they answer.
_SERIES: dict[tuple[str, str, int], tuple] = {}


def _series(endpoint: str, method: str, status: int) -> tuple:
    key = (endpoint, method, status)
    series = _SERIES.get(key)
    if series is None:
        series = (
            REQUESTS.labels(endpoint=endpoint, method=method, status=str(status)),
            LATENCY.labels(endpoint=endpoint, method=method),
        )
        _SERIES[key] = series
    return series


def _observe(response):
    start = g.pop("metrics_start", None)
    requests, latency = _series(_endpoint(), request.method, response.status_code)
    requests.inc()
    if start is not None:
        latency.observe(time.perf_counter() - start)
    return response


def init_metrics(app: Flask, session) -> None:
    """Time and count every request, and count order events when their session commits."""
    app.before_request(_start_timer)
    app.after_request(_observe)
    if not event.contains(session, "after_commit", _committed):
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_soft_rollback", _rolled_back)
