"""Look-ups shared by the catalog workflows: one row or a 404, ids that must exist."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.exceptions import CategoryNotFound, ImageNotFound, ProductNotFound
from app.extensions import db
from app.models import Category, Image, Product


def one(statement, error):
    """The first row of `statement`, or `error` raised."""
    row = db.session.scalars(statement).first()
    if row is None:
        raise error()
    return row


def by_id(model, row_id: int, error, *options):
    """The row `row_id` of `model`, loaded with `options`, or `error` raised."""
    return one(select(model).where(model.id == row_id).options(*options), error)


def next_position(column, *where) -> int:
    """One past the largest `column` among the rows `where` selects (1 for none)."""
    last = db.session.scalar(select(func.max(column)).where(*where))
    return 1 if last is None else last + 1


def require_image(image_id: int | None) -> None:
    """404 / 10380 unless image_id is None or a live image."""
    if image_id is not None:
        require_images([image_id])


def _require_all(model, ids: list[int], error) -> None:
    """`error` raised unless every id names a live row of `model`."""
    if not ids:
        return
    found = set(db.session.scalars(select(model.id).where(model.id.in_(ids))))
    if found != set(ids):
        raise error()


def require_images(image_ids: list[int]) -> None:
    _require_all(Image, image_ids, ImageNotFound)


def require_category(category_id: int | None) -> None:
    if category_id is not None:
        one(select(Category.id).where(Category.id == category_id), CategoryNotFound)


def require_products(product_ids: list[int]) -> None:
    _require_all(Product, product_ids, ProductNotFound)


def on_sale():
    return Product.on_sale.is_(True)


# A product detail (public and admin): images and properties are few, so they are joined;
# specs and SKUs (up to SKU_MAX) are one more statement each, so a detail costs three
# statements whatever it holds.
PRODUCT_DETAIL = (
    joinedload(Product.images),
    joinedload(Product.properties),
    selectinload(Product.specs),
    selectinload(Product.skus),
)
