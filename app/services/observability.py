"""What GET /metrics answers: every worker's counters plus the values read at scrape time.

The outbox gauges are counted from the outbox table when Prometheus scrapes (a worker's memory
knows nothing about rows written by `flask outbox run`), and the cache hit ratio is computed
from the lookup counters of every worker.
"""

import os

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import case, func, select

from app.core.metrics import CACHE_LOOKUPS
from app.extensions import db
from app.models.base import now
from app.models.outbox import DEAD, PENDING, SENDING, OutboxMessage

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def outbox_counts(at: int | None = None) -> dict[str, int]:
    """Rows due (pending and their time come, or claimed by a runner whose lease ran out) and
    dead rows, in one query."""
    at = now() if at is None else at
    due = ((OutboxMessage.state == PENDING) & (OutboxMessage.next_attempt_time <= at)) | (
        (OutboxMessage.state == SENDING) & (OutboxMessage.lease_expire_time <= at)
    )
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((due, 1), else_=0)), 0),
            func.coalesce(func.sum(case((OutboxMessage.state == DEAD, 1), else_=0)), 0),
        )
    ).one()
    db.session.rollback()  # end the read transaction: the scrape holds nothing open
    return {"due": int(row[0]), "dead": int(row[1])}


class _ScrapeCollector:
    """Gauges computed when the registry is collected."""

    def __init__(self, source):
        self.source = source

    def collect(self):
        counts = outbox_counts()
        outbox = GaugeMetricFamily(
            "shop_outbox_rows", "Outbox rows due to be sent and dead, now", labels=["state"]
        )
        outbox.add_metric(["due"], counts["due"])
        outbox.add_metric(["dead"], counts["dead"])
        yield outbox
        hits, lookups = 0.0, 0.0
        for family in self.source.collect():
            if family.name != CACHE_LOOKUPS._name:
                continue
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    lookups += sample.value
                    hits += sample.value if sample.labels.get("result") == "hit" else 0
        ratio = GaugeMetricFamily(
            "shop_cache_hit_ratio", "Response cache hits / lookups since start (NaN: none yet)"
        )
        ratio.add_metric([], hits / lookups if lookups else float("nan"))
        yield ratio


def scrape() -> bytes:
    """The Prometheus text exposition of every metric."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        source = MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        source = REGISTRY
        registry.register(_Forward(REGISTRY))
    registry.register(_ScrapeCollector(source))
    return generate_latest(registry)


class _Forward:
    """The process's own registry, inside the scrape registry (single-process mode)."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()
