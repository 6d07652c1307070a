"""Stock: reserved when an order is placed (all or nothing, in ascending product id order) and
released only through `release_stock`, which flips the order's `stock_released` flag first, so
it happens at most once whatever races."""

from sqlalchemy import select, update

from app.core.exceptions import OutOfStock
from app.extensions import db
from app.models import Order, OrderProduct, Product


def reserve_stock(counts: dict[int, int]) -> None:
    """Take `counts` units, product by product in ascending id order; all or nothing.

    On a shortfall the transaction is rolled back and OutOfStock lists every product.
    """
    for product_id in sorted(counts):
        count = counts[product_id]
        result = db.session.execute(
            update(Product)
            .where(
                Product.id == product_id,
                Product.stock >= count,
                Product.on_sale.is_(True),
                Product.delete_time.is_(None),
            )
            .values(stock=Product.stock - count)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            db.session.rollback()
            raise OutOfStock(detail={"p_status_array": stock_status(counts)})


def stock_status(counts: dict[int, int]) -> list[dict]:
    rows = db.session.execute(
        select(Product.id, Product.name, Product.stock, Product.on_sale)
        .where(Product.id.in_(list(counts)))
        .execution_options(populate_existing=True)
    ).all()
    found = {row.id: row for row in rows}
    answer = []
    for product_id, count in counts.items():
        row = found.get(product_id)
        stock = row.stock if row is not None and row.on_sale else 0
        answer.append(
            {
                "id": product_id,
                "name": row.name if row is not None else "",
                "count": count,
                "stock": stock,
                "has_stock": stock >= count,
            }
        )
    return answer


def release_stock(order_id: int) -> bool:
    """Give the order's units back, at most once (guarded `stock_released` flag)."""
    flipped = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.stock_released.is_(False))
        .values(stock_released=True)
        .execution_options(synchronize_session=False)
    )
    if flipped.rowcount != 1:
        return False
    lines = db.session.execute(
        select(OrderProduct.product_id, OrderProduct.count)
        .where(OrderProduct.order_id == order_id)
        .order_by(OrderProduct.product_id)
    ).all()
    for product_id, count in lines:
        db.session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + count)
            .execution_options(synchronize_session=False)
        )
    return True


def line_counts(order_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(OrderProduct.product_id, OrderProduct.count).where(OrderProduct.order_id == order_id)
    ).all()
    return {product_id: count for product_id, count in rows}
