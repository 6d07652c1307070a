"""SKU shapes: a product's specifications and variants, for customers and admins."""

from marshmallow import fields

from app import models
from app.schemas.base import ADMIN, Bool, Computed, ImageUrl, List, Shape, Str


class ProductSpec(Shape):
    """A specification of a product ("颜色") with its values in order."""

    name = Str()
    values = List(Str())


class Sku(Shape):
    """One sold combination: `specs` names one value of every specification ({} for a product
    without specifications)."""

    model = models.Sku
    answers = "id specs price stock image on_sale"
    specs = fields.Dict(keys=Str(), values=Str())
    image = ImageUrl(attribute="img")


class AdminSku(Sku):
    """A SKU as the admin API answers it."""

    audience = ADMIN

    answers = "product_id spec_text sales img_id code create_time update_time"


class LowStockSku(AdminSku):
    """A SKU at or below the low-stock threshold, with its product's name."""

    product_name = Computed(lambda sku: sku.product.name, Str())
    product_on_sale = Computed(lambda sku: sku.product.on_sale, Bool())
