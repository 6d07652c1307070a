"""One pagination helper: {items, total, current_page, total_page} for any select."""

import math

from sqlalchemy import func, select

from app.extensions import db

DEFAULT_PAGE_SIZE = 10


def default_page_size() -> int:
    """The `sys.paginator.size` config row, or 10 when it is missing or out of range."""
    from app.models.system import Config

    value = db.session.scalar(select(Config.value).where(Config.key == "sys.paginator.size"))
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if 1 <= size <= 100 else DEFAULT_PAGE_SIZE


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
