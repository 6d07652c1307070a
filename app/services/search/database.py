"""The database search backend: LIKE over product name and summary, two statements a page.

`%`, `_` and the escape character `/` in the text are literal (LIKE ... ESCAPE '/'). Substrings
match in any script, Chinese included; ASCII letters match case-insensitively (SQLite's LIKE,
MariaDB's *_ci collations). LIKE '%text%' reads every on-sale product: fine for a shop's
catalogue, not for a very large one (README, Search).
"""

from sqlalchemy import case, func, or_, select

from app.core.pagination import page_dict
from app.extensions import db
from app.models import Product
from app.services.search.backend import SearchQuery

USUAL_ORDER = {"price": "asc", "sales": "desc", "new": "desc"}


def _matches(column, text: str):
    return column.contains(text, autoescape=True)


def _ordering(query: SearchQuery) -> list:
    if query.sort == "default":
        newest = [Product.create_time.desc(), Product.id.desc()]
        if not query.text:
            return newest
        return [case((_matches(Product.name, query.text), 0), else_=1), *newest]
    key = {"price": Product.price, "sales": Product.sales, "new": Product.create_time}[query.sort]
    if (query.order or USUAL_ORDER[query.sort]) == "asc":
        return [key.asc(), Product.id.asc()]
    return [key.desc(), Product.id.desc()]


def search_statement(query: SearchQuery):
    """The select of every product the query finds, in answer order."""
    statement = select(Product).where(Product.on_sale.is_(True))
    if query.text:
        statement = statement.where(
            or_(_matches(Product.name, query.text), _matches(Product.summary, query.text))
        )
    if query.category_id is not None:
        statement = statement.where(Product.category_id == query.category_id)
    if query.min_price is not None:
        statement = statement.where(Product.price >= query.min_price)
    if query.max_price is not None:
        statement = statement.where(Product.price <= query.max_price)
    return statement.order_by(*_ordering(query))


class DatabaseSearch:
    """SearchBackend over the shop's own database (the default, SEARCH_BACKEND=database)."""

    def search(self, query: SearchQuery) -> dict:
        statement = search_statement(query)
        total = db.session.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
        rows = db.session.scalars(
            statement.limit(query.size).offset((query.page - 1) * query.size)
        ).all()
        return page_dict(list(rows), total, query.page, query.size)
