"""Favourites: the products a customer keeps, one row per (user, product).

Adding is idempotent: adding a kept product again answers the row it has (UNIQUE (user_id,
product_id) settles two adds racing). Every query names the owner in its WHERE clause, so a
product the caller does not keep answers 404 / 36010 whoever else keeps it. A kept product
that is later deleted or taken off sale stays listed, flagged `invalid`.
"""

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.core.exceptions import FavoriteNotFound, ProductNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Favorite, Product


def _own(user_id: int):
    return (
        select(Favorite)
        .where(Favorite.user_id == user_id)
        .options(joinedload(Favorite.product))
        .execution_options(include_deleted=True)  # a deleted product lists, flagged
    )


def _find(user_id: int, product_id: int) -> Favorite | None:
    return db.session.scalar(
        _own(user_id)
        .where(Favorite.product_id == product_id)
        .execution_options(populate_existing=True)
    )


def add_favorite(user_id: int, product_id: int) -> Favorite:
    """Keep an on-sale product (404 / 30010 otherwise); a kept one answers its row."""
    kept = _find(user_id, product_id)
    if kept is not None:
        return kept
    on_sale = db.session.scalar(
        select(Product.id).where(Product.id == product_id, Product.on_sale.is_(True))
    )
    if on_sale is None:
        raise ProductNotFound()
    db.session.add(Favorite(user_id=user_id, product_id=product_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent add stored it first: answer that row
    kept = _find(user_id, product_id)
    if kept is None:  # the product was deleted meanwhile (its foreign key refused the row)
        raise ProductNotFound()
    return kept


def remove_favorite(user_id: int, product_id: int) -> int:
    """Stop keeping a product; answers its id (404 / 36010 when the caller does not keep it)."""
    result = db.session.execute(
        delete(Favorite)
        .where(Favorite.user_id == user_id, Favorite.product_id == product_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise FavoriteNotFound()
    db.session.commit()
    return product_id


def favorite_page(user_id: int, form) -> dict:
    """The user's favourites, the newest first."""
    return paginate(_own(user_id).order_by(Favorite.id.desc()), form)


def favorite_flags(user_id: int, product_ids: list[int]) -> dict[int, bool]:
    """{product id: whether the user keeps it} for each id asked about."""
    kept = set(
        db.session.scalars(
            select(Favorite.product_id).where(
                Favorite.user_id == user_id, Favorite.product_id.in_(product_ids)
            )
        )
    )
    return {product_id: product_id in kept for product_id in product_ids}


def forget_favorites(user_id: int) -> None:
    """Delete the user's favourites in the caller's transaction (account deletion)."""
    db.session.execute(delete(Favorite).where(Favorite.user_id == user_id))
