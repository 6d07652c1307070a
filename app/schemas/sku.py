"""SKU shapes: a product's specifications and variants, for customers and admins."""

from marshmallow import fields

from app.schemas.base import ADMIN, Bool, Computed, ImageUrl, Int, List, Money, Shape, Str, Time


class ProductSpec(Shape):
    """A specification of a product ("颜色") with its values in order."""

    name = Str()
    values = List(Str())


class Sku(Shape):
    """One sold combination: `specs` names one value of every specification ({} for a product
    without specifications)."""

    id = Int()
    specs = fields.Dict(keys=Str(), values=Str())
    price = Money()
    stock = Int()
    image = ImageUrl(attribute="img")
    on_sale = Bool()


class AdminSku(Sku):
    """A SKU as the admin API answers it."""

    audience = ADMIN

    product_id = Int()
    spec_text = Str()
    sales = Int()
    img_id = Int(allow_none=True)
    code = Str()
    create_time = Time()
    update_time = Time()


class LowStockSku(AdminSku):
    """A SKU at or below the low-stock threshold, with its product's name."""

    product_name = Computed(lambda sku: sku.product.name, Str())
    product_on_sale = Computed(lambda sku: sku.product.on_sale, Bool())
