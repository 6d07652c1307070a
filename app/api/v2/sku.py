"""Admin SKU routes: a SKU's stock, and the SKUs running low."""

from flask import Blueprint, current_app

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import ParameterException, SkuNotFound, StockBelowZero
from app.schemas.base import Page
from app.schemas.sku import AdminSku, LowStockSku
from app.services import catalog
from app.services import sku as sku_service
from app.validators.catalog import LowStockForm, SkuStockForm

bp = Blueprint("sku", __name__)

MODULE = "商品库存"


@bp.put("/sku/<int:id>/stock")
@permission("调整商品库存", MODULE)
@doc(
    "Set or adjust a SKU's stock",
    body=SkuStockForm,
    data=AdminSku,
    status=201,
    path=path_ids("id"),
    errors=[SkuNotFound, StockBelowZero],
)
def adjust_stock(id):
    """Send `stock` to set it or `delta` to add (negative: take) units, not both; a guarded
    update, so concurrent adjustments and orders never lose units. The product's stock
    follows."""
    form = SkuStockForm().validate_or_raise()
    sent = form.present()
    if len(sent) != 1:
        raise ParameterException("stock: send either stock or delta")
    return catalog.adjust_sku_stock(id, stock=sent.get("stock"), delta=sent.get("delta"))


@bp.get("/product/low_stock")
@permission("查询库存预警", MODULE)
@doc("List SKUs low on stock", query=LowStockForm, data=Page(LowStockSku))
def list_low_stock():
    """Live SKUs of live products at or below `threshold` units, lowest stock first."""
    form = LowStockForm().validate_or_raise()
    threshold = form.threshold.data
    if threshold is None:
        threshold = current_app.config["SKU_LOW_STOCK_THRESHOLD"]
    return sku_service.low_stock_page(form, threshold)
