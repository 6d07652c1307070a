"""The catalog cache (core/http_cache.py): public catalog reads are cached; every admin write
commits and then invalidates it.

Stock: the stock shown by cached reads may lag by up to CATALOG_MAX_AGE seconds after an order
changes it (orders do not invalidate the catalog; placing an order always checks live stock).
Admin stock changes invalidate at once like every other admin write.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from app.core.http_cache import VersionedCache
from app.extensions import db

CATALOG_CACHE = VersionedCache("catalog", max_age_setting="CATALOG_MAX_AGE")
VERSION_KEY = CATALOG_CACHE.version_key

catalog_version = CATALOG_CACHE.version
invalidate_catalog = CATALOG_CACHE.invalidate
cached_json = CATALOG_CACHE.cached_json
cached_read = CATALOG_CACHE.cached_read


_DEFERRED = ContextVar("catalog_commit_deferred", default=False)


@contextmanager
def deferred_commits():
    """Catalog writes made inside flush instead of committing: the caller commits them all at
    once, or rolls them all back (the product import: all rows or none)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def commit() -> None:
    """Commit a catalog write and make the cached answers stale."""
    if _DEFERRED.get():
        db.session.flush()
        return
    db.session.commit()
    invalidate_catalog()
