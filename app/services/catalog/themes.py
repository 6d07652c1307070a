"""Admin theme workflows: the theme and its ordered product links."""

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from app.core.exceptions import Duplicated, ProductNotInTheme, ThemeNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Theme, theme_product
from app.models.base import assign, now
from app.services.catalog.cache import commit
from app.services.catalog.lookups import by_id, require_image, require_products


def admin_theme_page(form) -> dict:
    return paginate(select(Theme).order_by(Theme.id), form)


def live_theme(theme_id: int) -> Theme:
    return by_id(Theme, theme_id, ThemeNotFound)


def admin_theme(theme_id: int) -> Theme:
    """A theme with every linked product loaded."""
    return by_id(Theme, theme_id, ThemeNotFound, selectinload(Theme.products))


def _link_products(theme_id: int, product_ids: list[int], first_order: int = 1) -> None:
    if product_ids:
        created = now()
        db.session.execute(
            insert(theme_product),
            [
                {
                    "theme_id": theme_id,
                    "product_id": pid,
                    "order": first_order + i,
                    "create_time": created,
                }
                for i, pid in enumerate(product_ids)
            ],
        )


def create_theme(fields: dict) -> Theme:
    require_image(fields.get("topic_img_id"))
    require_image(fields.get("head_img_id"))
    product_ids = fields.get("product_ids") or []
    require_products(product_ids)
    theme = Theme(
        name=fields["name"],
        description=fields.get("description", ""),
        topic_img_id=fields.get("topic_img_id"),
        head_img_id=fields.get("head_img_id"),
    )
    db.session.add(theme)
    db.session.flush()
    _link_products(theme.id, product_ids)
    commit()
    return admin_theme(theme.id)


def update_theme(theme_id: int, fields: dict) -> Theme:
    theme = live_theme(theme_id)
    for name in ("topic_img_id", "head_img_id"):
        if name in fields:
            require_image(fields[name])
    assign(theme, fields, ("name", "description", "topic_img_id", "head_img_id"))
    theme.update_time = now()
    commit()
    return admin_theme(theme_id)


def replace_theme_products(theme_id: int, product_ids: list[int]) -> Theme:
    theme = live_theme(theme_id)
    require_products(product_ids)
    db.session.execute(delete(theme_product).where(theme_product.c.theme_id == theme_id))
    _link_products(theme_id, product_ids)
    theme.update_time = now()
    commit()
    return admin_theme(theme_id)


def delete_theme(theme_id: int) -> None:
    live_theme(theme_id).soft_delete()
    commit()


def add_theme_product(theme_id: int, product_id: int) -> Theme:
    live_theme(theme_id)
    require_products([product_id])
    links = db.session.execute(
        select(theme_product.c.product_id, theme_product.c.order).where(
            theme_product.c.theme_id == theme_id
        )
    ).all()
    if any(link.product_id == product_id for link in links):
        raise Duplicated("This product is already in the theme")
    _link_products(theme_id, [product_id], max((link.order for link in links), default=0) + 1)
    commit()
    return admin_theme(theme_id)


def remove_theme_product(theme_id: int, product_id: int) -> None:
    live_theme(theme_id)
    result = db.session.execute(
        delete(theme_product).where(
            theme_product.c.theme_id == theme_id, theme_product.c.product_id == product_id
        )
    )
    if result.rowcount == 0:
        db.session.rollback()
        raise ProductNotInTheme()
    commit()
