"""Admin SKU routes: a SKU's stock, and the SKUs running low."""

from flask import Blueprint, current_app

from app.api.resource import Resource
from app.core.exceptions import ParameterException, SkuNotFound, StockBelowZero
from app.schemas.base import Page
from app.schemas.sku import AdminSku, LowStockSku
from app.services import catalog
from app.services import sku as sku_service
from app.validators.catalog import LowStockForm, SkuStockForm

bp = Blueprint("sku", __name__)

MODULE = "商品库存"


def _adjust(id, form):
    sent = form.present()
    if len(sent) != 1:
        raise ParameterException("stock: send either stock or delta")
    return catalog.adjust_sku_stock(id, stock=sent.get("stock"), delta=sent.get("delta"))


def _low_stock(form):
    threshold = form.threshold.data
    if threshold is None:
        threshold = current_app.config["SKU_LOW_STOCK_THRESHOLD"]
    return sku_service.low_stock_page(form, threshold)


skus = Resource(bp, MODULE, shape=AdminSku)
skus.view(
    "PUT",
    "/sku/<int:id>/stock",
    "adjust_stock",
    "调整商品库存",
    "Set or adjust a SKU's stock",
    """Send `stock` to set it or `delta` to add (negative: take) units, not both; a guarded
    update, so concurrent adjustments and orders never lose units. The product's stock
    follows.""",
    _adjust,
    body=SkuStockForm,
    errors=[SkuNotFound, StockBelowZero],
)
skus.view(
    "GET",
    "/product/low_stock",
    "list_low_stock",
    "查询库存预警",
    "List SKUs low on stock",
    "Live SKUs of live products at or below `threshold` units, lowest stock first.",
    _low_stock,
    query=LowStockForm,
    data=Page(LowStockSku),
)
