"""Admin product workflows: the product, its images (kept numbered 1..n) and properties."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.exceptions import (
    Duplicated,
    ImageReorderError,
    ParameterException,
    ProductImageNotFound,
    ProductNotFound,
    ProductPropertyNotFound,
)
from app.core.filters import keyword_filter
from app.core.pagination import paginate
from app.extensions import db
from app.models import Product, ProductImage, ProductProperty
from app.models.base import assign, now
from app.services import sku as sku_service
from app.services.catalog.cache import commit
from app.services.catalog.lookups import (
    PRODUCT_DETAIL,
    next_position,
    one,
    require_category,
    require_image,
    require_images,
)


def _live_product(product_id: int, *, detail: bool = False, lock: bool = False) -> Product:
    statement = select(Product).where(Product.id == product_id)
    if lock:
        # Image position changes read then renumber; concurrent ones on a product take turns.
        statement = statement.with_for_update(of=Product)
    if detail:
        statement = statement.options(
            selectinload(Product.images), selectinload(Product.properties)
        )
    return one(statement, ProductNotFound)


def admin_product_page(form, *, category_id=None, keyword=None, on_sale=None) -> dict:
    statement = select(Product).order_by(Product.id.desc())
    if category_id is not None:
        statement = statement.where(Product.category_id == category_id)
    statement = keyword_filter(statement, keyword, Product.name)
    if on_sale is not None:
        statement = statement.where(Product.on_sale.is_(on_sale))
    return paginate(statement, form)


def admin_product(product_id: int) -> Product:
    """A product with its images, properties, specs and SKUs loaded (themes load lazily)."""
    statement = select(Product).where(Product.id == product_id).options(*PRODUCT_DETAIL)
    product = db.session.scalars(statement).unique().first()
    if product is None:
        raise ProductNotFound()
    return product


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


def create_product(fields: dict) -> Product:
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
    commit()
    return admin_product(product.id)


_PRODUCT_FIELDS = ("name", "category_id", "main_img_id", "summary", "on_sale")


def update_product(product_id: int, fields: dict) -> Product:
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
    assign(product, fields, _PRODUCT_FIELDS)
    product.update_time = now()
    commit()
    return admin_product(product_id)


def adjust_sku_stock(sku_id: int, *, stock=None, delta=None):
    """PUT /v2/sku/{id}/stock (see sku.adjust_stock), committed."""
    sku = sku_service.adjust_stock(sku_id, stock=stock, delta=delta)
    commit()
    return sku


def delete_product(product_id: int) -> None:
    _live_product(product_id).soft_delete()
    commit()


def _image_items(product_id: int) -> Product:
    return _live_product(product_id, detail=True)


def _renumber(items: list[ProductImage]) -> None:
    for position, item in enumerate(items, start=1):
        item.order = position


def reorder_product_images(product_id: int, src_order: int, dest_order: int) -> Product:
    """Move the image at position src_order to dest_order; those between shift by one."""
    product = _live_product(product_id, detail=True, lock=True)
    items = list(product.images)
    positions = range(1, len(items) + 1)
    if src_order == dest_order or src_order not in positions or dest_order not in positions:
        raise ImageReorderError()
    items.insert(dest_order - 1, items.pop(src_order - 1))
    _renumber(items)
    commit()
    return _image_items(product_id)


def add_product_image(product_id: int, img_id: int, order: int | None = None) -> Product:
    product = _live_product(product_id, detail=True, lock=True)
    require_image(img_id)
    items = list(product.images)
    if any(item.img_id == img_id for item in items):
        raise Duplicated("This image is already attached to the product")
    position = len(items) + 1 if order is None else min(order, len(items) + 1)
    items.insert(position - 1, ProductImage(product_id=product.id, img_id=img_id, order=0))
    _renumber(items)
    db.session.add_all(items)
    commit()
    return _image_items(product_id)


def replace_product_images(product_id: int, img_ids: list[int]) -> Product:
    product = _live_product(product_id, detail=True, lock=True)
    require_images(img_ids)
    for item in list(product.images):
        db.session.delete(item)
    # Deletes must reach the database before inserts, or UNIQUE(product_id, img_id) trips.
    db.session.flush()
    for position, img_id in enumerate(img_ids, start=1):
        db.session.add(ProductImage(product_id=product.id, img_id=img_id, order=position))
    product.update_time = now()
    commit()
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
    commit()


def _property(product_id: int, property_id: int) -> ProductProperty:
    _live_product(product_id)
    statement = select(ProductProperty).where(
        ProductProperty.id == property_id, ProductProperty.product_id == product_id
    )
    return one(statement, ProductPropertyNotFound)


def add_product_property(
    product_id: int, detail: str, name: str = "", order: int | None = None
) -> ProductProperty:
    _live_product(product_id)
    if order is None:
        order = next_position(ProductProperty.order, ProductProperty.product_id == product_id)
    prop = ProductProperty(product_id=product_id, name=name, detail=detail, order=order)
    db.session.add(prop)
    commit()
    return prop


def update_product_property(product_id: int, property_id: int, fields: dict) -> ProductProperty:
    prop = _property(product_id, property_id)
    assign(prop, fields, ("name", "detail", "order"))
    prop.update_time = now()
    commit()
    return prop


def delete_product_property(product_id: int, property_id: int) -> None:
    db.session.delete(_property(product_id, property_id))
    commit()
