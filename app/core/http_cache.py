"""HTTP caching of public GET answers: a versioned server-side cache with ETag/Cache-Control.

A `VersionedCache` keeps serialized answers in the `cache` extension (SimpleCache by default,
Redis in production) under a key made of the path with its query, each entry tagged with the
version it was built under. A write commits and then calls `invalidate()`, which replaces the
version, so no answer cached before the write is served after it returns, in any process sharing
the cache. Answers are built on the read replica when one is configured and the last write is
old enough to have reached it (DATABASE_REPLICA_FRESH_SECONDS).
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, request
from werkzeug.http import http_date, quote_etag

from app.core import metrics
from app.core.replica import replica_reads
from app.core.response import ok
from app.extensions import cache, db


def _new_version() -> str:
    # "<random>.<unix time of the write>": never reused, and it tells how recent the write is.
    return f"{uuid.uuid4().hex}.{int(time.time())}"


def _replica_is_safe(version: str | None) -> bool:
    """Whether a replica has had time to receive the write that made this version."""
    try:
        written_at = int(str(version).rsplit(".", 1)[1])
    except (IndexError, ValueError):
        return False
    fresh = current_app.config["DATABASE_REPLICA_FRESH_SECONDS"]
    return time.time() - written_at >= fresh


# Request headers that can make an answer conditional (304, 412) or partial (Range).
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_IF_RANGE",
)


def _conditional(body: bytes, etag: str, max_age: int) -> Response:
    """The 200 answer of a cached body with ETag and Cache-Control (public, max-age), or the
    304 to a matching If-None-Match: what Response.set_etag, .cache_control and
    .make_conditional(request) answer, with the headers written once as a list (every
    cached read pays for this, and Werkzeug's header properties parse and rewrite them)."""
    headers = [
        ("Content-Type", current_app.json.mimetype),
        ("ETag", quote_etag(etag)),
        ("Cache-Control", f"public, max-age={max_age}"),
    ]
    response = current_app.response_class(body, headers=headers)
    environ = request.environ
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or any(
        name in environ for name in _CONDITIONAL
    ):
        return response.make_conditional(request)
    response.headers.add("Date", http_date())  # Content-Length is set with the body
    return response


class VersionedCache:
    """The cached answers of one family of views (`name`), kept `max_age_setting` seconds."""

    def __init__(self, name: str, max_age_setting: str):
        self.name = name
        self.version_key = f"{name}:version"
        self.max_age_setting = max_age_setting
        self.logger = logging.getLogger(f"mini_shop.{name}")

    def version(self) -> str:
        """The current version; a fresh one when the cache lost it (never reused)."""
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, _new_version(), timeout=0)
            version = cache.get(self.version_key)
        return version

    def invalidate(self) -> None:
        """Make every cached answer stale (call after committing a change)."""
        try:
            cache.set(self.version_key, _new_version(), timeout=0)
        except Exception:
            self.logger.exception("%s cache invalidation failed", self.name)

    def _entry_key(self) -> str:
        # Answers never depend on the Host header (URLs come from PUBLIC_BASE_URL), so it is not
        # part of the key: forged hosts cannot multiply the entries.
        environ = request.environ  # raw WSGI values: cheaper than the decoded URL properties
        where = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        return f"{self.name}:" + hashlib.sha256(where.encode("utf-8")).hexdigest()

    def _read_entry(self, key: str) -> tuple[str, tuple | None]:
        """The current version and the entry stored under key, in one cache round trip.

        An entry carries the version it was built under; it is served only while that version
        is current, so a write (which replaces the version) makes every entry stale at once.
        """
        version, entry = cache.get_many(self.version_key, key)
        if version is None:
            version = self.version()
        if entry is None or entry[0] != version:
            return version, None
        return version, entry

    def cached_json(self, build: Callable[[], object]):
        """build()'s 200 answer (a Response, or data put in the envelope), served from the
        cache with ETag/Cache-Control."""
        max_age = current_app.config[self.max_age_setting]
        # End the transaction opened by the token check, so that the data read below is at least
        # as new as the version read here (REPEATABLE READ snapshots start at the first read).
        # Anonymous cached reads never opened a session: leave it that way.
        if db.session.registry.has():
            db.session.rollback()
        key, version, entry = None, None, None
        if max_age > 0:
            try:
                key = self._entry_key()
                version, entry = self._read_entry(key)
                metrics.cache_lookup(self.name, entry is not None)
            except Exception:
                self.logger.exception("%s cache read failed", self.name)
                key = None
        if entry is None:
            # A replica may serve the read unless a write happened too recently for it to have
            # arrived there (else the old answer would be cached again under the new version).
            with replica_reads(enabled=_replica_is_safe(version)):
                built = build()
                body = (built if isinstance(built, Response) else ok(built)).get_data()
            entry = (version, hashlib.sha256(body).hexdigest()[:40], body)
            if key is not None:
                try:
                    cache.set(key, entry, timeout=max_age)
                except Exception:
                    self.logger.exception("%s cache write failed", self.name)
        _, etag, body = entry
        return _conditional(body, etag, max_age)

    def cached_read(self, view):
        """Serve a public view through `cached_json` (apply it outside `@doc`)."""

        @wraps(view)
        def cached_view(*args, **kwargs):
            return self.cached_json(lambda: view(*args, **kwargs))

        return cached_view
