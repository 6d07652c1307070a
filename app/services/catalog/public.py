"""Public catalog reads, with the eager loading their shapes need (cached by the views)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from app.core.exceptions import BannerNotFound, CategoryNotFound, ProductNotFound, ThemeNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Banner, Category, Product, Theme
from app.services.catalog.lookups import PRODUCT_DETAIL, by_id, on_sale, require_category

RECENT_MAX = 15
ALL_BY_CATEGORY_MAX = 100


def public_banner(banner_id: int) -> Banner:
    return by_id(Banner, banner_id, BannerNotFound, selectinload(Banner.items))


def public_themes(theme_ids: list[int]) -> dict:
    """{"items": themes} in the order of theme_ids (unknown ids are left out)."""
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids)))}
    return {"items": [themes[i] for i in theme_ids if i in themes]}


def public_theme_page(form) -> dict:
    return paginate(select(Theme).order_by(Theme.id), form)


def public_theme(theme_id: int) -> Theme:
    """The theme with its on-sale products loaded."""
    return by_id(Theme, theme_id, ThemeNotFound, selectinload(Theme.products.and_(on_sale())))


def public_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.id)))


def public_category_page(form) -> dict:
    return paginate(select(Category).order_by(Category.id), form)


def public_category(category_id: int) -> Category:
    return by_id(Category, category_id, CategoryNotFound)


def recent_products(count: int = RECENT_MAX) -> dict:
    statement = (
        select(Product)
        .where(on_sale())
        .order_by(Product.create_time.desc(), Product.id.desc())
        .limit(count)
    )
    return {"items": list(db.session.scalars(statement))}


def _category_products(category_id: int):
    require_category(category_id)
    return select(Product).where(Product.category_id == category_id, on_sale()).order_by(Product.id)


def products_by_category_page(category_id: int, form) -> dict:
    return paginate(_category_products(category_id), form)


def all_products_by_category(category_id: int) -> dict:
    statement = _category_products(category_id).limit(ALL_BY_CATEGORY_MAX)
    return {"items": list(db.session.scalars(statement))}


def public_product(product_id: int) -> Product:
    """The detail, with its visible reviews counted in the same statement (review_count,
    good_review_count: app/models/review.py)."""
    statement = (
        select(Product)
        .where(Product.id == product_id, on_sale())
        .options(*PRODUCT_DETAIL, undefer(Product.review_count), undefer(Product.good_review_count))
    )
    row = db.session.scalars(statement).unique().first()
    if row is None:
        raise ProductNotFound()
    return row
