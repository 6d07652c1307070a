"""Stock: reserved per SKU when an order is placed (all or nothing, in ascending SKU id order) and
released only through `release_stock`, which flips the order's `stock_released` flag first, so
it happens at most once whatever races."""

from sqlalchemy import update

from app.core import metrics
from app.core.exceptions import OutOfStock
from app.extensions import db
from app.models import Order
from app.services import sku as sku_service


def reserve_stock(lines: list[tuple[int, int, int]]) -> None:
    """Take units for (sku_id, product_id, count) lines, SKU by SKU in ascending id order (see
    app/services/sku.py); all or nothing.

    On a shortfall the transaction is rolled back and OutOfStock lists every line.
    """
    if not sku_service.reserve(lines):
        db.session.rollback()
        metrics.stock_conflict()
        raise OutOfStock(detail={"p_status_array": sku_service.stock_status(lines)})


def release_stock(order_id: int) -> bool:
    """Give the order's units back to their SKUs, at most once (guarded `stock_released` flag)."""
    flipped = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.stock_released.is_(False))
        .values(stock_released=True)
        .execution_options(synchronize_session=False)
    )
    if flipped.rowcount != 1:
        return False
    sku_service.release(sku_service.order_lines(order_id, in_customer_hands=True))
    return True
