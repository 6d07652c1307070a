"""The cart: owner-scoped lines, one per SKU, merged on add and capped like an order.

Every query names the owner in its WHERE clause; another user's line id is 404 / 33010. Every
write locks the owner's user row first (`lock_cart`), so concurrent writes to one cart run one
after another: the line cap (CART_MAX_LINES) and the per-product cap hold, and a repeated add
finds the line the other request inserted. UNIQUE (user_id, sku_id) backs this up in the
database, and the merge itself is one relative UPDATE that never passes the cap.

A line's count is capped by the order rules: the units of one product in the cart (all its SKUs
together) stay within ORDER_MAX_COUNT, the units of one order line, and a line holds at most
its SKU's stock when it is written. Stock changes later leave the line alone; it then lists as
`short_of_stock` (see CartItem.invalid_reason).

Checkout (POST /v1/order from cart lines) builds on `cart_lines_for_checkout` and
`remove_lines`, which neither commit: the placement's transaction removes the lines it ordered.
The order preview reads the lines with `lines_for_preview`.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import commit_keeping
from app.core.exceptions import (
    CartFull,
    CartItemNotFound,
    CartItemUnavailable,
    CartSkuNotFound,
    CartSkuRequired,
    ProductNotFound,
)
from app.extensions import db
from app.models import CartItem, Product, Sku, User
from app.models.base import now
from app.models.cart import DELETED, OFF_SALE

STOCK, ORDER_MAX = "stock", "order_max"  # what capped a count (CartChange.capped)


@dataclass
class CartChange:
    """A line as written, the count the request asked it to hold, and what capped it."""

    item: CartItem
    requested: int
    capped: str | None = None
    message: str | None = None


# ------------------------------------------------------------------- reads


def _own(user_id: int):
    return select(CartItem).where(CartItem.user_id == user_id)


def _with_catalog(statement):
    # One statement: the line, its SKU and product (deleted ones included, so the line can say
    # why it is invalid) and their images, joined.
    return statement.options(
        joinedload(CartItem.product), joinedload(CartItem.sku)
    ).execution_options(include_deleted=True)


def list_lines(user_id: int) -> list[CartItem]:
    """The user's lines, newest first (in the order they were added)."""
    return list(db.session.scalars(_with_catalog(_own(user_id)).order_by(CartItem.id.desc())))


def cart_view(user_id: int) -> dict:
    """The cart answer: the lines, and the units and exact total of the checked valid lines."""
    lines = list_lines(user_id)
    payable = [line for line in lines if line.checked and line.invalid_reason is None]
    return {
        "items": lines,
        "checked_count": sum(line.count for line in payable),
        "checked_total": sum((line.sku.price * line.count for line in payable), Decimal("0.00")),
        "all_checked": bool(lines) and all(line.checked for line in lines),
    }


def count_units(user_id: int) -> int:
    """The badge number: units in the cart, all lines (invalid ones too)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(CartItem.count), 0)).where(CartItem.user_id == user_id)
    )


def get_line(user_id: int, item_id: int) -> CartItem:
    """One of the user's lines with its catalog rows; anyone else's id is 404 / 33010."""
    line = db.session.scalar(_with_catalog(_own(user_id).where(CartItem.id == item_id)))
    if line is None:
        raise CartItemNotFound()
    return line


def _locked_lines(user_id: int) -> list[CartItem]:
    """Every line of the user, read under the cart lock with a locking read.

    A locking read sees the rows as committed now, not the snapshot the request's transaction
    started from (MariaDB's REPEATABLE READ), so a line another request just added or changed is
    seen. The catalog rows are not joined: a locking join would lock them too.
    """
    lock_cart(user_id)
    return list(
        db.session.scalars(
            _own(user_id)
            .order_by(CartItem.id.desc())
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _pick(lines: list[CartItem], ids: list[int]) -> list[CartItem]:
    """The lines of `ids`, in the order given; 404 / 33010 when any is not among them (the
    transaction is left to the caller: the request's ends with it)."""
    by_id = {line.id: line for line in lines}
    missing = [item_id for item_id in ids if item_id not in by_id]
    if missing:
        raise CartItemNotFound(detail={"ids": missing})
    return [by_id[item_id] for item_id in ids]


def _attach_catalog(lines: list[CartItem]) -> list[CartItem]:
    """Load the lines' SKUs and products (deleted ones included) in one statement."""
    if not lines:
        return lines
    rows = db.session.execute(
        select(Sku, Product)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.id.in_({line.sku_id for line in lines}))
        .execution_options(include_deleted=True, populate_existing=True)
    ).all()
    found = {sku.id: (sku, product) for sku, product in rows}
    for line in lines:
        sku, product = found[line.sku_id]
        set_committed_value(line, "sku", sku)
        set_committed_value(line, "product", product)
    return lines


# --------------------------------------------------------------- checkout


def lock_cart(user_id: int) -> None:
    """Serialize writes to one user's cart: the user row, locked until the commit. Every cart
    write takes it first; so must a checkout that removes lines."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def cart_lines_for_checkout(user_id: int, ids: list[int]) -> list[CartItem]:
    """The user's lines `ids`, in that order, read fresh under the cart lock, each with .sku,
    .product, .count and .invalid_reason.

    Any id that is not the user's is 404 / 33010. Does not commit: the caller places the order
    and calls `remove_lines` in the same transaction, so a failed placement keeps the cart, and
    a second checkout of the same lines waits for the lock, then finds them gone (404).
    """
    return _attach_catalog(_pick(_locked_lines(user_id), ids))


def lines_for_preview(user_id: int, ids: list[int]) -> list[CartItem]:
    """The user's lines `ids`, in that order, with their catalog rows, in one plain read (an
    order preview locks and writes nothing); 404 / 33010 when any is not the user's."""
    lines = db.session.scalars(_with_catalog(_own(user_id).where(CartItem.id.in_(ids))))
    return _pick(list(lines), ids)


def remove_lines(user_id: int, ids: list[int]) -> None:
    """Delete the user's lines `ids` (owner-scoped), without committing."""
    db.session.execute(
        delete(CartItem)
        .where(CartItem.user_id == user_id, CartItem.id.in_(ids))
        .execution_options(synchronize_session=False)
    )


# ------------------------------------------------------------------ caps


def _sellable_sku(product_id: int, sku_id: int | None) -> tuple[Product, Sku]:
    """The on-sale product and its on-sale SKU to add: `sku_id`, or the product's only SKU
    when it has one. One statement: the product outer-joined to its live SKUs (id order)."""
    rows = db.session.execute(
        select(Product, Sku)
        .outerjoin(Sku, Sku.product_id == Product.id)
        .where(Product.id == product_id, Product.on_sale.is_(True))
        .order_by(Sku.id)
    ).all()
    if not rows:
        raise ProductNotFound()
    product = rows[0][0]
    skus = [sku for _, sku in rows if sku is not None]  # the live ones
    if sku_id is None:
        if len(skus) > 1:
            raise CartSkuRequired(
                f"This product has {len(skus)} SKUs: choose one with sku_id",
                detail={"sku_ids": [sku.id for sku in skus]},
            )
        if not skus:
            raise CartSkuNotFound()
        sku = skus[0]
    else:
        sku = next((sku for sku in skus if sku.id == sku_id), None)
    if sku is None or not sku.on_sale:
        raise CartSkuNotFound()
    return product, sku


def _limit(lines: list[CartItem], sku: Sku) -> tuple[int, str, str]:
    """The most units a line of `sku` may hold now (the cart's `lines` as locked), what sets
    it, and how to say it."""
    order_max = current_app.config["ORDER_MAX_COUNT"]
    others = sum(
        line.count for line in lines if line.product_id == sku.product_id and line.sku_id != sku.id
    )
    room = order_max - others
    if sku.stock < room:
        return sku.stock, STOCK, f"only {sku.stock} in stock"
    reason = f"one order takes at most {order_max} units of a product"
    if others:
        reason += f", and the cart holds {others} of its other SKUs"
    return room, ORDER_MAX, reason


def _unavailable(limit_by: str, reason: str) -> CartItemUnavailable:
    db.session.rollback()
    if limit_by == STOCK:
        return CartItemUnavailable("This SKU is sold out")
    return CartItemUnavailable(f"No more units of this product: {reason}")


def _change(user_id: int, item_id: int, requested: int, count: int, capped) -> CartChange:
    return _change_of(get_line(user_id, item_id), requested, count, capped)


def _change_of(line: CartItem, requested: int, count: int, capped) -> CartChange:
    limit_by, reason = capped if count != requested else (None, None)
    message = f"Capped to {count}: {reason}" if limit_by else None
    return CartChange(line, requested, limit_by, message)


# ----------------------------------------------------------------- writes


def add_line(user_id: int, product_id: int, sku_id: int | None, count: int) -> CartChange:
    """Add `count` units of a SKU: merged into its line (checked again), capped, never lowered.

    A new line records the SKU's price as `add_price`. Five statements: the product with its
    SKUs, the cart lock, the locked lines, the INSERT or the capped UPDATE (plus the token's
    user). The answer is the line as written, with the SKU and product just read: nothing is
    read again after the commit.
    """
    product, sku = _sellable_sku(product_id, sku_id)
    lines = _locked_lines(user_id)
    line = next((line for line in lines if line.sku_id == sku.id), None)
    limit, limit_by, reason = _limit(lines, sku)
    current = line.count if line is not None else 0
    requested = current + count
    if line is None:
        if limit < 1:
            raise _unavailable(limit_by, reason)
        most = current_app.config["CART_MAX_LINES"]
        if len(lines) >= most:
            db.session.rollback()
            raise CartFull(f"The cart holds at most {most} lines; delete some first")
        line = CartItem(
            user_id=user_id,
            product_id=sku.product_id,
            sku_id=sku.id,
            count=min(requested, limit),
            checked=True,
            add_price=sku.price,
        )
        db.session.add(line)
        db.session.flush()
        written = line.count
    else:
        # Relative and capped in SQL: count + n, at most the limit, never below the count.
        merged = CartItem.count + count
        at = now()
        db.session.execute(
            update(CartItem)
            .where(CartItem.id == line.id, CartItem.user_id == user_id)
            .values(
                count=case(
                    (merged <= limit, merged),
                    (CartItem.count > limit, CartItem.count),
                    else_=limit,
                ),
                checked=True,
                update_time=at,
            )
            .execution_options(synchronize_session=False)
        )
        # What the UPDATE wrote: the line is locked, so its count was `current`.
        written = max(current, min(requested, limit))
        for name, value in (("count", written), ("checked", True), ("update_time", at)):
            set_committed_value(line, name, value)
    set_committed_value(line, "sku", sku)
    set_committed_value(line, "product", product)
    commit_keeping(line, sku, product, sku.img, product.main_img)
    return _change_of(line, requested, written, (limit_by, reason))


def update_line(user_id: int, item_id: int, fields: dict) -> CartChange:
    """Change `count` and/or `checked` of one line. A count is capped like an add; a line whose
    product or SKU is deleted or off sale takes no new count (409 / 33014), only `checked`."""
    lines = _locked_lines(user_id)
    (line,) = _attach_catalog(_pick(lines, [item_id]))
    requested = fields.get("count", line.count)
    values, capped, written = {}, (None, None), line.count
    if "checked" in fields:
        values["checked"] = fields["checked"]
    if "count" in fields:
        problem = line.invalid_reason
        if problem in (DELETED, OFF_SALE):
            db.session.rollback()
            gone = "no longer sold" if problem == DELETED else "off sale"
            raise CartItemUnavailable(f"This product is {gone}: delete the line")
        limit, limit_by, reason = _limit(lines, line.sku)
        if limit < 1:
            raise _unavailable(limit_by, reason)
        written = values["count"] = min(requested, limit)
        capped = (limit_by, reason)
    if values:
        db.session.execute(
            update(CartItem)
            .where(CartItem.id == item_id, CartItem.user_id == user_id)
            .values(update_time=now(), **values)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return _change(user_id, item_id, requested, written, capped)


def set_checked(user_id: int, ids: list[int] | None, checked: bool) -> dict:
    """Check or uncheck the lines `ids` (all or none: 404 when any is not the user's), or every
    line when `ids` is None; answers the cart."""
    lines = _locked_lines(user_id)
    scope = [CartItem.user_id == user_id, CartItem.checked != checked]
    if ids is not None:
        _pick(lines, ids)
        scope.append(CartItem.id.in_(ids))
    db.session.execute(
        update(CartItem)
        .where(*scope)
        .values(checked=checked, update_time=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return cart_view(user_id)


def delete_lines(user_id: int, ids: list[int]) -> list[int]:
    """Delete the user's lines `ids`; if one is not theirs nothing is deleted (404)."""
    _pick(_locked_lines(user_id), ids)
    remove_lines(user_id, ids)
    db.session.commit()
    return ids
