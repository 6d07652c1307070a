"""Admin banner workflows: banners and their items (each linking a product, a theme or text)."""

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.core.exceptions import BannerItemNotFound, BannerNotFound, ProductNotFound, ThemeNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Banner, BannerItem
from app.models.base import assign, now
from app.services.catalog.cache import commit
from app.services.catalog.lookups import by_id, next_position, require_image, require_products
from app.services.catalog.themes import live_theme

BANNER_ITEM_NO_LINK, BANNER_ITEM_PRODUCT, BANNER_ITEM_THEME = 0, 1, 2


def admin_banner_page(form) -> dict:
    return paginate(select(Banner).order_by(Banner.id), form)


def _live_banner(banner_id: int) -> Banner:
    return by_id(Banner, banner_id, BannerNotFound)


def admin_banner(banner_id: int) -> Banner:
    """A banner with its items loaded."""
    return by_id(Banner, banner_id, BannerNotFound, selectinload(Banner.items))


def create_banner(name: str, description: str = "") -> Banner:
    banner = Banner(name=name, description=description)
    db.session.add(banner)
    commit()
    return banner


def update_banner(banner_id: int, fields: dict) -> Banner:
    banner = _live_banner(banner_id)
    assign(banner, fields, ("name", "description"))
    banner.update_time = now()
    commit()
    return banner


def delete_banner(banner_id: int) -> None:
    banner = _live_banner(banner_id)
    deleted_at = now()
    banner.delete_time = deleted_at
    db.session.execute(
        update(BannerItem)
        .where(BannerItem.banner_id == banner_id, BannerItem.delete_time.is_(None))
        .values(delete_time=deleted_at)
    )
    commit()


def _live_item(item_id: int) -> BannerItem:
    return by_id(BannerItem, item_id, BannerItemNotFound)


def admin_banner_item(item_id: int) -> BannerItem:
    return _live_item(item_id)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18


def _check_link(link_type: int, key_word: str) -> None:
    """Type 1 links a live product id, type 2 a live theme id; type 0 is free text."""
    if link_type == BANNER_ITEM_PRODUCT:
        if not _is_id(key_word):
            raise ProductNotFound()
        require_products([int(key_word)])
    elif link_type == BANNER_ITEM_THEME:
        if not _is_id(key_word):
            raise ThemeNotFound()
        live_theme(int(key_word))


def create_banner_item(fields: dict) -> BannerItem:
    _live_banner(fields["banner_id"])
    require_image(fields["img_id"])
    link_type, key_word = fields.get("type", BANNER_ITEM_PRODUCT), fields.get("key_word", "")
    _check_link(link_type, key_word)
    order = fields.get("order")
    if order is None:
        order = next_position(BannerItem.order, BannerItem.banner_id == fields["banner_id"])
    item = BannerItem(
        banner_id=fields["banner_id"],
        img_id=fields["img_id"],
        type=link_type,
        key_word=key_word,
        order=order,
    )
    db.session.add(item)
    commit()
    return admin_banner_item(item.id)


def update_banner_item(item_id: int, fields: dict) -> BannerItem:
    item = _live_item(item_id)
    if "banner_id" in fields:
        _live_banner(fields["banner_id"])
    if "img_id" in fields:
        require_image(fields["img_id"])
    if "type" in fields or "key_word" in fields:
        _check_link(fields.get("type", item.type), fields.get("key_word", item.key_word))
    assign(item, fields, ("banner_id", "img_id", "type", "key_word", "order"))
    item.update_time = now()
    commit()
    return admin_banner_item(item_id)


def delete_banner_item(item_id: int) -> None:
    _live_item(item_id).soft_delete()
    commit()
