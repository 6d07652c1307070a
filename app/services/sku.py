"""SKUs: a product's specifications and variants, their stock, and the product's derived fields.

A product has ordered specifications (颜色, 尺码...) with ordered values and one SKU per sold
combination; a product without specifications has exactly one default SKU (specs {}).

The product's compat fields follow its SKUs in the same transaction as every SKU change:
`price` is the lowest price of its live on-sale SKUs (of its live SKUs when none is on sale)
and `stock` the sum of its live on-sale SKUs' stock. Order stock moves keep `stock` by deltas;
admin writes recompute both from the SKU rows they hold locked.

Lock order, everywhere: SKU rows in ascending id order, then product rows in ascending id
order, so buyers, cancellations, payments and admin edits never deadlock on each other.

This module commits nothing: its callers (app/services/catalog/, app/services/orders/) own the
transaction.
"""

from collections import Counter
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, case, func, select, true, update
from sqlalchemy.orm import joinedload

from app.core.exceptions import (
    ParameterException,
    SkuNotFound,
    StockBelowZero,
)
from app.core.pagination import paginate
from app.extensions import db
from app.models import Order, OrderProduct, OrderStatus, Product, ProductSpec, Sku
from app.models.base import now
from app.models.catalog import STOCK_MAX


def spec_text(names: list[str], combination: dict) -> str:
    """The snapshot text of a combination in spec order: "颜色:红;尺码:M" ("" for none)."""
    return ";".join(f"{name}:{combination[name]}" for name in names)


# ----------------------------------------------------- derived product fields


def derived(rows) -> tuple[Decimal | None, int]:
    """(price, stock) of a product from its live SKU rows (price, stock, on_sale)."""
    on_sale = [row for row in rows if row.on_sale]
    pool = on_sale or list(rows)
    price = min((row.price for row in pool), default=None)
    return price, sum(row.stock for row in on_sale)


def lock_skus(product_id: int) -> list[Sku]:
    """The product's live SKUs, locked (current values), in id order: admin writes start here."""
    return list(
        db.session.scalars(
            select(Sku)
            .where(Sku.product_id == product_id)
            .order_by(Sku.id)
            .with_for_update(of=Sku)
            .execution_options(populate_existing=True)
        )
    )


def sync_product(product_id: int) -> None:
    """Set the product's price and stock from its SKUs (held locked by the caller)."""
    db.session.flush()
    rows = db.session.execute(
        select(Sku.price, Sku.stock, Sku.on_sale)
        .where(Sku.product_id == product_id)
        .with_for_update(of=Sku)
    ).all()
    price, stock = derived(rows)
    values = {"stock": stock}
    if price is not None:
        values["price"] = price
    db.session.execute(update(Product).where(Product.id == product_id).values(**values))


# ---------------------------------------------------------------- order lines


def _units(lines: list[tuple[int, int, int]]) -> tuple[Counter, Counter]:
    """The units of (sku_id, product_id, count) lines per SKU and per product."""
    per_sku, per_product = Counter(), Counter()
    for sku_id, product_id, count in lines:
        per_sku[sku_id] += count
        per_product[product_id] += count
    return per_sku, per_product


def reserve(lines: list[tuple[int, int, int]]) -> bool:
    """Take units for (sku_id, product_id, count) lines, all or nothing, in two statements.

    One guarded UPDATE takes every SKU's units (each row needs the stock, on sale and live),
    then one takes the same units from the products' derived stock; a row that fails its guard
    is not changed, so fewer rows than asked means a shortfall: False, the caller rolls back.
    Each UPDATE locks its rows by ascending primary key (the IN list's index range order), SKUs
    before products, as every writer does.
    """
    per_sku, per_product = _units(lines)
    return _take(Sku, per_sku) and _take(Product, per_product)


@cache
def _per_row_statement(table, column: str, rows: int, take: bool):
    """`column = column -/+ count` for `rows` rows, each its own count (parameters id_k and
    count_k): built once per table, column, number of rows and direction. A take is guarded
    per row (enough left, on sale, live); a row failing its guard is left as it was."""
    ids = [bindparam(f"id_{k}") for k in range(rows)]
    if rows == 1:
        amount, chosen = bindparam("count_0"), table.c.id == ids[0]
    else:
        amount = case(*((table.c.id == ids[k], bindparam(f"count_{k}")) for k in range(rows)))
        chosen = table.c.id.in_(ids)
    current = table.c[column]
    if not take:
        return update(table).where(chosen).values({column: current + amount})
    guards = (current >= amount, table.c.on_sale.is_(True), table.c.delete_time.is_(None))
    return update(table).where(chosen, *guards).values({column: current - amount})


def _per_row(model, column: str, counts: Counter, *, take: bool) -> int:
    """Move `column` of every row of `counts` by its count in one statement (rows locked in
    ascending id order); answers how many rows changed."""
    parameters = {}
    for k, row_id in enumerate(sorted(counts)):
        parameters[f"id_{k}"], parameters[f"count_{k}"] = row_id, counts[row_id]
    statement = _per_row_statement(model.__table__, column, len(counts), take)
    return db.session.connection().execute(statement, parameters).rowcount


def _take(model, counts: Counter) -> bool:
    """Take `counts` units from each row (ascending ids); stock never goes below 0 or leaves
    sale: a row without them is left as it was."""
    return _per_row(model, "stock", counts, take=True) == len(counts)


def stock_status(lines: list[tuple[int, int, int]]) -> list[dict]:
    """What OutOfStock answers: per line the product, SKU, units asked and units left."""
    sku_ids = [sku_id for sku_id, _, _ in lines]
    rows = db.session.execute(
        select(Sku.id, Sku.stock, Sku.on_sale, Sku.spec_text, Product.name, Product.on_sale)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.id.in_(sku_ids))
        .execution_options(populate_existing=True)
    ).all()
    found = {row[0]: row for row in rows}
    answer = []
    for sku_id, product_id, count in lines:
        row = found.get(sku_id)
        stock = row[1] if row is not None and row[2] and row[5] else 0
        answer.append(
            {
                "id": product_id,
                "sku_id": sku_id,
                "name": row[4] if row is not None else "",
                "spec": row[3] if row is not None else "",
                "count": count,
                "stock": stock,
                "has_stock": stock >= count,
            }
        )
    return answer


def release(lines: list[tuple[int, int, int]]) -> None:
    """Give units back to each SKU (ascending id), and to its product's stock when the SKU is
    still live and on sale (the product's stock counts only those)."""
    per_sku: Counter[int] = Counter()
    product_of = {}
    for sku_id, product_id, count in lines:
        per_sku[sku_id] += count
        product_of[sku_id] = product_id
    for sku_id in sorted(per_sku):
        db.session.execute(
            update(Sku)
            .where(Sku.id == sku_id)
            .values(stock=Sku.stock + per_sku[sku_id])
            .execution_options(synchronize_session=False)
        )
    # The rows are ours (locked by the updates): this locking read sees their current values.
    selling = set(
        db.session.scalars(
            select(Sku.id)
            .where(Sku.id.in_(list(per_sku)), Sku.on_sale.is_(True), Sku.delete_time.is_(None))
            .with_for_update()
            .execution_options(include_deleted=True)
        )
    )
    per_product: Counter[int] = Counter()
    for sku_id in selling:
        per_product[product_of[sku_id]] += per_sku[sku_id]
    for product_id in sorted(per_product):
        db.session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + per_product[product_id])
            .execution_options(synchronize_session=False)
        )


def add_sales(lines: list[tuple[int, int, int]]) -> None:
    """A paid order's units count as sales of each SKU and product (same lock order): one
    statement for the SKUs, one for the products."""
    per_sku, per_product = _units(lines)
    if per_sku:
        _per_row(Sku, "sales", per_sku, take=False)
        _per_row(Product, "sales", per_product, take=False)


def order_lines(order_id: int, *, in_customer_hands: bool = False) -> list[tuple[int, int, int]]:
    """(sku_id, product_id, count) of an order; a line older than SKUs (sku_id NULL) stands
    for its product's first SKU. `in_customer_hands`: less the units an after-sale already
    put back into stock (lines with none left are left out)."""
    first_sku = (
        select(func.min(Sku.id))
        .where(Sku.product_id == OrderProduct.product_id)
        .correlate(OrderProduct)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            func.coalesce(OrderProduct.sku_id, first_sku),
            OrderProduct.product_id,
            OrderProduct.count - OrderProduct.restocked_count
            if in_customer_hands
            else OrderProduct.count,
        )
        .where(OrderProduct.order_id == order_id)
        .order_by(OrderProduct.id)
        .execution_options(include_deleted=True)
    ).all()
    return [(sku_id, product_id, count) for sku_id, product_id, count in rows if sku_id and count]


# ---------------------------------------------------------------- admin writes


def _fail(message: str):
    raise ParameterException(message)


def check_specs(specs: list[dict]) -> list[dict]:
    """[{name, values}] with unique names and, per spec, unique values."""
    names = [spec["name"] for spec in specs]
    if len(set(names)) != len(names):
        _fail("specs: two specifications have the same name")
    for index, spec in enumerate(specs):
        values = spec["values"]
        if len(set(values)) != len(values):
            _fail(f"specs: item {index}: values: a value is repeated")
    return specs


def check_skus(specs: list[dict], skus: list[dict]) -> None:
    """Every SKU names one value of every spec, and no two name the same combination."""
    allowed = {spec["name"]: set(spec["values"]) for spec in specs}
    seen = set()
    for index, item in enumerate(skus):
        combination = item.get("specs") or {}
        if set(combination) != set(allowed):
            expected = ", ".join(allowed) or "none"
            _fail(f"skus: item {index}: specs: name one value of each specification ({expected})")
        for name, value in combination.items():
            if value not in allowed[name]:
                _fail(f"skus: item {index}: specs: {value!r} is not a value of {name!r}")
        key = tuple(combination[name] for name in allowed)
        if key in seen:
            _fail(f"skus: item {index}: specs: this combination is already listed")
        seen.add(key)
    if not specs and len(skus) != 1:
        _fail("skus: a product without specifications has exactly one SKU")


def unpaid_sku_ids(sku_ids: list[int]) -> set[int]:
    """The SKUs among sku_ids that an unpaid order holds units of."""
    if not sku_ids:
        return set()
    return set(
        db.session.scalars(
            select(OrderProduct.sku_id)
            .join(Order, Order.id == OrderProduct.order_id)
            .where(OrderProduct.sku_id.in_(sku_ids), Order.order_status == OrderStatus.UNPAID)
            .distinct()
        )
    )


def _spec_rows(product_id: int, specs: list[dict]) -> None:
    db.session.execute(ProductSpec.__table__.delete().where(ProductSpec.product_id == product_id))
    for position, spec in enumerate(specs, start=1):
        db.session.add(
            ProductSpec(
                product_id=product_id,
                name=spec["name"],
                values=list(spec["values"]),
                order=position,
            )
        )


def _sku_values(names: list[str], item: dict) -> dict:
    combination = {name: item["specs"][name] for name in names} if names else {}
    values = {"specs": combination, "spec_text": spec_text(names, combination)}
    for name in ("price", "stock", "img_id", "code", "on_sale"):
        if name in item:
            values[name] = item[name]
    return values


def replace_skus(product_id: int, specs: list[dict] | None, skus: list[dict]) -> None:
    """Make the product's specs (when given) and SKUs what the admin sent.

    An item with `id` updates that SKU; one without matches a live SKU of the same
    combination, or adds one. A SKU left out is deleted (soft), or only taken off sale while
    an unpaid order holds its units. Order snapshots are never touched. Validates first.
    """
    current = lock_skus(product_id)
    if specs is None:
        specs = [
            {"name": spec.name, "values": list(spec.values)}
            for spec in db.session.scalars(
                select(ProductSpec)
                .where(ProductSpec.product_id == product_id)
                .order_by(ProductSpec.order, ProductSpec.id)
            )
        ]
    else:
        check_specs(specs)
        _spec_rows(product_id, specs)
    check_skus(specs, skus)
    names = [spec["name"] for spec in specs]
    by_id = {sku.id: sku for sku in current}
    by_combination = {
        tuple((sku.specs or {}).get(name) for name in names): sku
        for sku in reversed(current)
        if set(sku.specs or {}) == set(names)
    }
    ids = [item["id"] for item in skus if item.get("id") is not None]
    if len(set(ids)) != len(ids):
        _fail("skus: a SKU id is listed twice")
    for index, item in enumerate(skus):
        if item.get("id") is not None and item["id"] not in by_id:
            _fail(f"skus: item {index}: id: {item['id']} is not a SKU of this product")
    kept = set()
    for item in skus:
        values = _sku_values(names, item)
        sku = by_id.get(item.get("id"))
        if sku is None:
            match = by_combination.get(tuple(values["specs"].get(name) for name in names))
            if match is not None and match.id not in kept and match.id not in ids:
                sku = match
        if sku is None:
            values.setdefault("on_sale", True)
            values.setdefault("stock", 0)
            sku = Sku(product_id=product_id, **values)
            db.session.add(sku)
        else:
            for name, value in values.items():
                setattr(sku, name, value)
            sku.update_time = now()
            kept.add(sku.id)
    left_out = [sku for sku in current if sku.id not in kept]
    held = unpaid_sku_ids([sku.id for sku in left_out])
    for sku in left_out:
        if sku.id in held:
            sku.on_sale = False
            sku.update_time = now()
        else:
            sku.soft_delete()
    sync_product(product_id)


def set_default_sku(product_id: int, fields: dict) -> None:
    """`price`/`stock` of PUT /v2/product (compat): they set the product's only SKU."""
    current = lock_skus(product_id)
    if len(current) != 1:
        _fail(
            "price: this product has several SKUs; set the price and stock of each in skus "
            "or with PUT /v2/sku/{id}/stock"
        )
    sku = current[0]
    for name in ("price", "stock"):
        if name in fields:
            setattr(sku, name, fields[name])
    sku.update_time = now()
    sync_product(product_id)


def adjust_stock(sku_id: int, *, stock: int | None = None, delta: int | None = None) -> Sku:
    """PUT /v2/sku/{id}/stock: set (`stock`) or change (`delta`) a live SKU's stock with a
    guarded UPDATE; the product's stock follows. 409 / 30063 below zero or over the bound."""
    product_id = _product_of(sku_id)
    if product_id is None:
        raise SkuNotFound()
    lock_skus(product_id)  # every SKU of the product in id order, as buyers lock them
    if delta is not None:
        guard = (Sku.stock + delta >= 0) & (Sku.stock + delta <= STOCK_MAX)
        change = Sku.stock + delta
    else:
        guard, change = true(), stock
    changed = db.session.execute(
        update(Sku)
        .where(Sku.id == sku_id, Sku.delete_time.is_(None), guard)
        .values(stock=change, update_time=now())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        if db.session.scalar(select(Sku.id).where(Sku.id == sku_id)) is None:
            raise SkuNotFound()
        raise StockBelowZero(
            f"The stock would leave 0 to {STOCK_MAX}",
            detail={"delta": delta, "max": STOCK_MAX},
        )
    sync_product(product_id)
    return _sku(sku_id)


def _product_of(sku_id: int) -> int:
    return db.session.scalar(select(Sku.product_id).where(Sku.id == sku_id))


def _sku(sku_id: int) -> Sku:
    sku = db.session.scalar(
        select(Sku)
        .where(Sku.id == sku_id)
        .options(joinedload(Sku.product))
        .execution_options(populate_existing=True)
    )
    if sku is None:
        raise SkuNotFound()
    return sku


def get_sku(sku_id: int) -> Sku:
    return _sku(sku_id)


def low_stock(statement, threshold: int):
    """`statement` (over Sku) kept to live SKUs of live products at or below threshold units."""
    return statement.join(Product, Product.id == Sku.product_id).where(
        Sku.stock <= threshold, Product.delete_time.is_(None)
    )


def low_stock_page(form, threshold: int) -> dict:
    """Live SKUs of live products with stock at or below threshold, lowest stock first."""
    statement = (
        low_stock(select(Sku), threshold)
        .options(joinedload(Sku.product))
        .order_by(Sku.stock, Sku.id)
    )
    return paginate(statement, form)


def new_product_skus(product: Product, specs: list[dict] | None, skus: list[dict] | None):
    """The SKUs of a product being created: the given ones, or one default SKU carrying the
    product's price and stock."""
    if skus is None:
        if specs:
            _fail("skus: required with specs")
        skus = [{"specs": {}, "price": product.price, "stock": product.stock}]
    replace_skus(product.id, specs or [], skus)
