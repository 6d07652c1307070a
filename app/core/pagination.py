"""One pagination helper: {items, total, current_page, total_page} for any select.

The page size a request gets when it sends none is not a core matter (admins set it as the
`sys.paginator.size` config parameter): create_app registers the function that answers it with
`init_pagination`; without one, pages hold DEFAULT_PAGE_SIZE rows.
"""

import math
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import func, select

from app.extensions import db

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


def init_pagination(app: Flask, default_page_size: Callable[[], int]) -> None:
    app.extensions["default_page_size"] = default_page_size


def default_page_size() -> int:
    provider = current_app.extensions.get("default_page_size")
    return provider() if provider is not None else DEFAULT_PAGE_SIZE


def page_args(form) -> tuple[int, int]:
    page = form.page.data or 1
    size = form.size.data if form.size.present else default_page_size()
    return page, size


def paginate(statement, form, serialize=None, *, scalars=True) -> dict:
    """Run a count and one page of `statement`; `serialize` turns each row into JSON (without
    it the page holds the rows, for a `Page(shape)` to dump)."""
    page, size = page_args(form)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    result = db.session.execute(statement.limit(size).offset((page - 1) * size))
    rows = result.scalars().unique().all() if scalars else result.all()
    items = [serialize(row) for row in rows] if serialize is not None else list(rows)
    return page_dict(items, total, page, size)


def page_dict(items: list, total: int, page: int, size: int) -> dict:
    return {
        "items": items,
        "total": total,
        "current_page": page,
        "total_page": math.ceil(total / size) if total else 0,
    }
