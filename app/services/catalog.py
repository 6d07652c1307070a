"""The catalog: public reads with eager loading, the server-side catalog cache, admin writes.

Public reads go through `cached_json`, which keeps serialized answers in the `cache` extension
(SimpleCache by default, Redis in production) under a key holding the catalog version and
the path with its query. Every admin write commits and then calls
`invalidate_catalog()`, which replaces the version, so no answer cached before the write is
served after it returns, in any process sharing the cache.

Stock: the stock shown by cached reads may lag by up to CATALOG_MAX_AGE seconds after an order
changes it (orders do not invalidate the catalog; placing an order always checks live stock).
Admin stock changes invalidate at once like every other admin write.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, request
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.core.exceptions import (
    BannerItemNotFound,
    BannerNotFound,
    CategoryInUse,
    CategoryNotFound,
    Duplicated,
    ImageNotFound,
    ImageReorderError,
    ParameterException,
    ProductImageNotFound,
    ProductNotFound,
    ProductNotInTheme,
    ProductPropertyNotFound,
    ThemeNotFound,
)
from app.core.pagination import paginate
from app.core.replica import replica_reads
from app.core.response import ok
from app.extensions import cache, db
from app.models import (
    Banner,
    BannerItem,
    Category,
    Image,
    Product,
    ProductImage,
    ProductProperty,
    Theme,
    theme_product,
)
from app.models.base import now
from app.services import sku as sku_service

logger = logging.getLogger("mini_shop.catalog")

VERSION_KEY = "catalog:version"
RECENT_MAX = 15
ALL_BY_CATEGORY_MAX = 100
BANNER_ITEM_NO_LINK, BANNER_ITEM_PRODUCT, BANNER_ITEM_THEME = 0, 1, 2


# ------------------------------------------------------------------ the cache


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


def catalog_version() -> str:
    """The current catalog version; a fresh one when the cache lost it (never reused)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=0)
        version = cache.get(VERSION_KEY)
    return version


def invalidate_catalog() -> None:
    """Make every cached catalog answer stale (call after committing a catalog change)."""
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=0)
    except Exception:
        logger.exception("catalog cache invalidation failed")


def _max_age() -> int:
    return current_app.config["CATALOG_MAX_AGE"]


def _entry_key() -> str:
    # Answers never depend on the Host header (URLs come from PUBLIC_BASE_URL), so it is not
    # part of the key: forged hosts cannot multiply the entries.
    environ = request.environ  # raw WSGI values: cheaper than the decoded URL properties
    where = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    return "catalog:" + hashlib.sha256(where.encode("utf-8")).hexdigest()


def _read_entry(key: str) -> tuple[str, tuple | None]:
    """The current version and the entry stored under key, in one cache round trip.

    An entry carries the version it was built under; it is served only while that version is
    current, so a write (which replaces the version) makes every entry stale at once.
    """
    version, entry = cache.get_many(VERSION_KEY, key)
    if version is None:
        version = catalog_version()
    if entry is None or entry[0] != version:
        return version, None
    return version, entry


def cached_json(build: Callable[[], object]):
    """build()'s 200 answer (a Response, or data put in the envelope), served from the catalog
    cache with ETag/Cache-Control."""
    max_age = _max_age()
    # End the transaction opened by the token check, so that the data read below is at least
    # as new as the version read here (REPEATABLE READ snapshots start at the first read).
    # Anonymous cached reads never opened a session: leave it that way.
    if db.session.registry.has():
        db.session.rollback()
    key, version, entry = None, None, None
    if max_age > 0:
        try:
            key = _entry_key()
            version, entry = _read_entry(key)
        except Exception:
            logger.exception("catalog cache read failed")
            key = None
    if entry is None:
        # A replica may serve the read unless a write happened too recently for it to have
        # arrived there (else the old catalog would be cached again under the new version).
        with replica_reads(enabled=_replica_is_safe(version)):
            built = build()
            body = (built if isinstance(built, Response) else ok(built)).get_data()
        entry = (version, hashlib.sha256(body).hexdigest()[:40], body)
        if key is not None:
            try:
                cache.set(key, entry, timeout=max_age)
            except Exception:
                logger.exception("catalog cache write failed")
    _, etag, body = entry
    response = current_app.response_class(body, mimetype=current_app.json.mimetype)
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


def cached_read(view):
    """Serve a public catalog view through `cached_json` (apply it outside `@doc`)."""

    @wraps(view)
    def cached_view(*args, **kwargs):
        return cached_json(lambda: view(*args, **kwargs))

    return cached_view


def _commit() -> None:
    db.session.commit()
    invalidate_catalog()


# -------------------------------------------------------------- lookups


def _one(statement, error):
    row = db.session.scalars(statement).first()
    if row is None:
        raise error()
    return row


def require_image(image_id: int | None) -> None:
    """404 / 10380 unless image_id is None or a live image."""
    if image_id is not None:
        require_images([image_id])


def require_images(image_ids: list[int]) -> None:
    if not image_ids:
        return
    found = set(db.session.scalars(select(Image.id).where(Image.id.in_(image_ids))))
    if found != set(image_ids):
        raise ImageNotFound()


def require_category(category_id: int | None) -> None:
    if category_id is not None:
        _one(select(Category.id).where(Category.id == category_id), CategoryNotFound)


def require_products(product_ids: list[int]) -> None:
    if not product_ids:
        return
    found = set(db.session.scalars(select(Product.id).where(Product.id.in_(product_ids))))
    if found != set(product_ids):
        raise ProductNotFound()


def _on_sale():
    return Product.on_sale.is_(True)


# ------------------------------------------------------------- public reads


def public_banner(banner_id: int) -> Banner:
    statement = select(Banner).where(Banner.id == banner_id).options(selectinload(Banner.items))
    return _one(statement, BannerNotFound)


def public_themes(theme_ids: list[int]) -> dict:
    """{"items": themes} in the order of theme_ids (unknown ids are left out)."""
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids)))}
    return {"items": [themes[i] for i in theme_ids if i in themes]}


def public_theme_page(form) -> dict:
    return paginate(select(Theme).order_by(Theme.id), form)


def public_theme(theme_id: int) -> Theme:
    """The theme with its on-sale products loaded."""
    statement = (
        select(Theme)
        .where(Theme.id == theme_id)
        .options(selectinload(Theme.products.and_(_on_sale())))
    )
    return _one(statement, ThemeNotFound)


def public_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.id)))


def public_category_page(form) -> dict:
    return paginate(select(Category).order_by(Category.id), form)


def public_category(category_id: int) -> Category:
    return _one(select(Category).where(Category.id == category_id), CategoryNotFound)


def recent_products(count: int = RECENT_MAX) -> dict:
    statement = (
        select(Product)
        .where(_on_sale())
        .order_by(Product.create_time.desc(), Product.id.desc())
        .limit(count)
    )
    return {"items": list(db.session.scalars(statement))}


def _category_products(category_id: int):
    require_category(category_id)
    return (
        select(Product).where(Product.category_id == category_id, _on_sale()).order_by(Product.id)
    )


def products_by_category_page(category_id: int, form) -> dict:
    return paginate(_category_products(category_id), form)


def all_products_by_category(category_id: int) -> dict:
    statement = _category_products(category_id).limit(ALL_BY_CATEGORY_MAX)
    return {"items": list(db.session.scalars(statement))}


# Images and properties are few, so they are joined; specs and SKUs (up to SKU_MAX) are one
# more statement each: a product detail costs three statements whatever it holds.
_DETAIL = (
    joinedload(Product.images),
    joinedload(Product.properties),
    selectinload(Product.specs),
    selectinload(Product.skus),
)


def public_product(product_id: int) -> Product:
    statement = select(Product).where(Product.id == product_id, _on_sale()).options(*_DETAIL)
    row = db.session.scalars(statement).unique().first()
    if row is None:
        raise ProductNotFound()
    return row


# ---------------------------------------------------------------- categories


def _product_count():
    return (
        select(func.count(Product.id))
        .where(Product.category_id == Category.id, Product.delete_time.is_(None))
        .correlate(Category)
        .scalar_subquery()
    )


def admin_category_page(form, keyword: str | None = None) -> dict:
    statement = select(Category, _product_count()).order_by(Category.id)
    if keyword:
        statement = statement.where(Category.name.contains(keyword, autoescape=True))
    return paginate(statement, form, lambda row: row[0].to_admin(row[1]), scalars=False)


def admin_category(category_id: int) -> dict:
    statement = select(Category, _product_count()).where(Category.id == category_id)
    row = db.session.execute(statement).first()
    if row is None:
        raise CategoryNotFound()
    return row[0].to_admin(row[1])


def _check_category_name(name: str, own_id: int | None = None) -> None:
    statement = select(Category.id).where(Category.name == name)
    if own_id is not None:
        statement = statement.where(Category.id != own_id)
    if db.session.scalar(statement) is not None:
        raise Duplicated("A category with this name already exists")


def create_category(name: str, description: str = "", topic_img_id: int | None = None) -> dict:
    _check_category_name(name)
    require_image(topic_img_id)
    category = Category(name=name, description=description, topic_img_id=topic_img_id)
    db.session.add(category)
    _commit()
    return admin_category(category.id)


def update_category(category_id: int, fields: dict) -> dict:
    category = _one(select(Category).where(Category.id == category_id), CategoryNotFound)
    if "name" in fields:
        _check_category_name(fields["name"], category.id)
        category.name = fields["name"]
    if "description" in fields:
        category.description = fields["description"]
    if "topic_img_id" in fields:
        require_image(fields["topic_img_id"])
        category.topic_img_id = fields["topic_img_id"]
    category.update_time = now()
    _commit()
    return admin_category(category_id)


def delete_category(category_id: int) -> None:
    category = _one(select(Category).where(Category.id == category_id), CategoryNotFound)
    in_use = db.session.scalar(select(Product.id).where(Product.category_id == category_id))
    if in_use is not None:
        raise CategoryInUse()
    category.soft_delete()
    _commit()


# ------------------------------------------------------------------ products


def _live_product(product_id: int, *, detail: bool = False, lock: bool = False) -> Product:
    statement = select(Product).where(Product.id == product_id)
    if lock:
        # Image position changes read then renumber; concurrent ones on a product take turns.
        statement = statement.with_for_update(of=Product)
    if detail:
        statement = statement.options(
            selectinload(Product.images), selectinload(Product.properties)
        )
    return _one(statement, ProductNotFound)


def admin_product_page(form, *, category_id=None, keyword=None, on_sale=None) -> dict:
    statement = select(Product).order_by(Product.id.desc())
    if category_id is not None:
        statement = statement.where(Product.category_id == category_id)
    if keyword:
        statement = statement.where(Product.name.contains(keyword, autoescape=True))
    if on_sale is not None:
        statement = statement.where(Product.on_sale.is_(on_sale))
    return paginate(statement, form, Product.to_admin_summary)


def theme_ids_of(product_id: int) -> list[int]:
    statement = (
        select(theme_product.c.theme_id)
        .join(Theme, Theme.id == theme_product.c.theme_id)
        .where(theme_product.c.product_id == product_id, Theme.delete_time.is_(None))
        .order_by(theme_product.c.theme_id)
    )
    return list(db.session.scalars(statement))


def admin_product(product_id: int) -> dict:
    statement = select(Product).where(Product.id == product_id).options(*_DETAIL)
    product = db.session.scalars(statement).unique().first()
    if product is None:
        raise ProductNotFound()
    return product.to_admin_detail(theme_ids_of(product_id))


def _check_sku_fields(fields: dict) -> None:
    """With `skus`, the product's price and stock are derived: sending them too is a 400."""
    skus = fields.get("skus")
    if skus is None:
        if fields.get("specs") is not None:
            raise ParameterException("skus: required with specs")
        return
    for name in ("price", "stock"):
        if fields.get(name) is not None:
            raise ParameterException(f"{name}: with skus it is derived from them; leave it out")
    require_images(list({item["img_id"] for item in skus if item.get("img_id")}))


def create_product(fields: dict) -> dict:
    require_category(fields.get("category_id"))
    require_image(fields.get("main_img_id"))
    img_ids = fields.get("img_ids") or []
    require_images(img_ids)
    _check_sku_fields(fields)
    skus = fields.get("skus")
    if skus is None and fields.get("price") is None:
        raise ParameterException("price: This field is required.")
    product = Product(
        name=fields["name"],
        price=fields["price"] if skus is None else skus[0]["price"],
        stock=fields.get("stock") or 0,
        category_id=fields.get("category_id"),
        main_img_id=fields.get("main_img_id"),
        summary=fields.get("summary", ""),
        on_sale=fields.get("on_sale", True),
    )
    db.session.add(product)
    db.session.flush()
    for position, img_id in enumerate(img_ids, start=1):
        db.session.add(ProductImage(product_id=product.id, img_id=img_id, order=position))
    for position, prop in enumerate(fields.get("properties") or [], start=1):
        db.session.add(
            ProductProperty(
                product_id=product.id,
                name=prop.get("name", ""),
                detail=prop["detail"],
                order=position,
            )
        )
    sku_service.new_product_skus(product, fields.get("specs"), skus)
    _commit()
    return admin_product(product.id)


_PRODUCT_FIELDS = ("name", "category_id", "main_img_id", "summary", "on_sale")


def update_product(product_id: int, fields: dict) -> dict:
    """Update the fields sent. `skus` (with `specs` when they change) replaces the SKUs;
    `price`/`stock` set a one-SKU product's SKU. SKU rows are locked before the product's."""
    product = _live_product(product_id)
    if "category_id" in fields:
        require_category(fields["category_id"])
    if "main_img_id" in fields:
        require_image(fields["main_img_id"])
    _check_sku_fields(fields)
    if fields.get("skus") is not None:
        sku_service.replace_skus(product_id, fields.get("specs"), fields["skus"])
    elif "price" in fields or "stock" in fields:
        sku_service.set_default_sku(product_id, fields)
    for name in _PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.update_time = now()
    _commit()
    return admin_product(product_id)


def adjust_sku_stock(sku_id: int, *, stock=None, delta=None):
    """PUT /v2/sku/{id}/stock (see sku.adjust_stock), committed."""
    sku = sku_service.adjust_stock(sku_id, stock=stock, delta=delta)
    _commit()
    return sku


def delete_product(product_id: int) -> None:
    _live_product(product_id).soft_delete()
    _commit()


def _image_items(product_id: int) -> dict:
    return {"image_items": _live_product(product_id, detail=True).image_items()}


def _renumber(items: list[ProductImage]) -> None:
    for position, item in enumerate(items, start=1):
        item.order = position


def reorder_product_images(product_id: int, src_order: int, dest_order: int) -> dict:
    """Move the image at position src_order to dest_order; those between shift by one."""
    product = _live_product(product_id, detail=True, lock=True)
    items = list(product.images)
    positions = range(1, len(items) + 1)
    if src_order == dest_order or src_order not in positions or dest_order not in positions:
        raise ImageReorderError()
    items.insert(dest_order - 1, items.pop(src_order - 1))
    _renumber(items)
    _commit()
    return _image_items(product_id)


def add_product_image(product_id: int, img_id: int, order: int | None = None) -> dict:
    product = _live_product(product_id, detail=True, lock=True)
    require_image(img_id)
    items = list(product.images)
    if any(item.img_id == img_id for item in items):
        raise Duplicated("This image is already attached to the product")
    position = len(items) + 1 if order is None else min(order, len(items) + 1)
    items.insert(position - 1, ProductImage(product_id=product.id, img_id=img_id, order=0))
    _renumber(items)
    db.session.add_all(items)
    _commit()
    return _image_items(product_id)


def replace_product_images(product_id: int, img_ids: list[int]) -> dict:
    product = _live_product(product_id, detail=True, lock=True)
    require_images(img_ids)
    for item in list(product.images):
        db.session.delete(item)
    # Deletes must reach the database before inserts, or UNIQUE(product_id, img_id) trips.
    db.session.flush()
    for position, img_id in enumerate(img_ids, start=1):
        db.session.add(ProductImage(product_id=product.id, img_id=img_id, order=position))
    product.update_time = now()
    _commit()
    return _image_items(product_id)


def remove_product_image(product_id: int, img_id: int) -> None:
    product = _live_product(product_id, detail=True, lock=True)
    items = list(product.images)
    target = next((item for item in items if item.img_id == img_id), None)
    if target is None:
        raise ProductImageNotFound()
    items.remove(target)
    db.session.delete(target)
    _renumber(items)
    _commit()


def _property(product_id: int, property_id: int) -> ProductProperty:
    _live_product(product_id)
    statement = select(ProductProperty).where(
        ProductProperty.id == property_id, ProductProperty.product_id == product_id
    )
    return _one(statement, ProductPropertyNotFound)


def add_product_property(
    product_id: int, detail: str, name: str = "", order: int | None = None
) -> dict:
    _live_product(product_id)
    if order is None:
        last = db.session.scalar(
            select(func.max(ProductProperty.order)).where(ProductProperty.product_id == product_id)
        )
        order = 1 if last is None else last + 1
    prop = ProductProperty(product_id=product_id, name=name, detail=detail, order=order)
    db.session.add(prop)
    _commit()
    return prop.to_dict()


def update_product_property(product_id: int, property_id: int, fields: dict) -> dict:
    prop = _property(product_id, property_id)
    for name in ("name", "detail", "order"):
        if name in fields:
            setattr(prop, name, fields[name])
    prop.update_time = now()
    _commit()
    return prop.to_dict()


def delete_product_property(product_id: int, property_id: int) -> None:
    db.session.delete(_property(product_id, property_id))
    _commit()


# -------------------------------------------------------------------- themes


def admin_theme_page(form) -> dict:
    return paginate(select(Theme).order_by(Theme.id), form, Theme.to_admin)


def _live_theme(theme_id: int, *, detail: bool = False) -> Theme:
    statement = select(Theme).where(Theme.id == theme_id)
    if detail:
        statement = statement.options(selectinload(Theme.products))
    return _one(statement, ThemeNotFound)


def admin_theme(theme_id: int) -> dict:
    return _live_theme(theme_id, detail=True).to_admin_detail()


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


def create_theme(fields: dict) -> dict:
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
    _commit()
    return admin_theme(theme.id)


def update_theme(theme_id: int, fields: dict) -> dict:
    theme = _live_theme(theme_id)
    for name in ("topic_img_id", "head_img_id"):
        if name in fields:
            require_image(fields[name])
    for name in ("name", "description", "topic_img_id", "head_img_id"):
        if name in fields:
            setattr(theme, name, fields[name])
    theme.update_time = now()
    _commit()
    return admin_theme(theme_id)


def replace_theme_products(theme_id: int, product_ids: list[int]) -> dict:
    theme = _live_theme(theme_id)
    require_products(product_ids)
    db.session.execute(delete(theme_product).where(theme_product.c.theme_id == theme_id))
    _link_products(theme_id, product_ids)
    theme.update_time = now()
    _commit()
    return admin_theme(theme_id)


def delete_theme(theme_id: int) -> None:
    _live_theme(theme_id).soft_delete()
    _commit()


def add_theme_product(theme_id: int, product_id: int) -> dict:
    _live_theme(theme_id)
    require_products([product_id])
    links = db.session.execute(
        select(theme_product.c.product_id, theme_product.c.order).where(
            theme_product.c.theme_id == theme_id
        )
    ).all()
    if any(link.product_id == product_id for link in links):
        raise Duplicated("This product is already in the theme")
    _link_products(theme_id, [product_id], max((link.order for link in links), default=0) + 1)
    _commit()
    return admin_theme(theme_id)


def remove_theme_product(theme_id: int, product_id: int) -> None:
    _live_theme(theme_id)
    result = db.session.execute(
        delete(theme_product).where(
            theme_product.c.theme_id == theme_id, theme_product.c.product_id == product_id
        )
    )
    if result.rowcount == 0:
        db.session.rollback()
        raise ProductNotInTheme()
    _commit()


# ------------------------------------------------------------------- banners


def admin_banner_page(form) -> dict:
    return paginate(select(Banner).order_by(Banner.id), form, Banner.to_admin)


def _live_banner(banner_id: int, *, detail: bool = False) -> Banner:
    statement = select(Banner).where(Banner.id == banner_id)
    if detail:
        statement = statement.options(selectinload(Banner.items))
    return _one(statement, BannerNotFound)


def admin_banner(banner_id: int) -> dict:
    return _live_banner(banner_id, detail=True).to_admin_detail()


def create_banner(name: str, description: str = "") -> dict:
    banner = Banner(name=name, description=description)
    db.session.add(banner)
    _commit()
    return banner.to_admin()


def update_banner(banner_id: int, fields: dict) -> dict:
    banner = _live_banner(banner_id)
    for name in ("name", "description"):
        if name in fields:
            setattr(banner, name, fields[name])
    banner.update_time = now()
    _commit()
    return banner.to_admin()


def delete_banner(banner_id: int) -> None:
    banner = _live_banner(banner_id)
    deleted_at = now()
    banner.delete_time = deleted_at
    db.session.execute(
        update(BannerItem)
        .where(BannerItem.banner_id == banner_id, BannerItem.delete_time.is_(None))
        .values(delete_time=deleted_at)
    )
    _commit()


def _live_item(item_id: int) -> BannerItem:
    return _one(select(BannerItem).where(BannerItem.id == item_id), BannerItemNotFound)


def admin_banner_item(item_id: int) -> dict:
    return _live_item(item_id).to_admin()


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
        _live_theme(int(key_word))


def create_banner_item(fields: dict) -> dict:
    _live_banner(fields["banner_id"])
    require_image(fields["img_id"])
    link_type, key_word = fields.get("type", BANNER_ITEM_PRODUCT), fields.get("key_word", "")
    _check_link(link_type, key_word)
    order = fields.get("order")
    if order is None:
        last = db.session.scalar(
            select(func.max(BannerItem.order)).where(BannerItem.banner_id == fields["banner_id"])
        )
        order = 1 if last is None else last + 1
    item = BannerItem(
        banner_id=fields["banner_id"],
        img_id=fields["img_id"],
        type=link_type,
        key_word=key_word,
        order=order,
    )
    db.session.add(item)
    _commit()
    return admin_banner_item(item.id)


def update_banner_item(item_id: int, fields: dict) -> dict:
    item = _live_item(item_id)
    if "banner_id" in fields:
        _live_banner(fields["banner_id"])
    if "img_id" in fields:
        require_image(fields["img_id"])
    if "type" in fields or "key_word" in fields:
        _check_link(fields.get("type", item.type), fields.get("key_word", item.key_word))
    for name in ("banner_id", "img_id", "type", "key_word", "order"):
        if name in fields:
            setattr(item, name, fields[name])
    item.update_time = now()
    _commit()
    return admin_banner_item(item_id)


def delete_banner_item(item_id: int) -> None:
    _live_item(item_id).soft_delete()
    _commit()
