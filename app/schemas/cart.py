"""Cart shapes: a line with its live catalog data, the cart with its totals, a write's answer."""

from app import models
from app.schemas.base import Bool, Computed, ImageUrl, Int, List, Money, Nested, Shape, Str


class CartLine(Shape):
    """A cart line: live name, image, spec, price and stock, the price when it was added, and
    whether it can be ordered as it stands (`invalid`, with `invalid_reason` deleted / off_sale /
    short_of_stock)."""

    model = models.CartItem
    answers = (
        "id product_id sku_id name image spec price add_price stock count checked invalid",
        "invalid_reason create_time",
    )
    name = Computed(lambda line: line.product.name, Str())
    image = ImageUrl()
    spec = Computed(lambda line: line.sku.spec_text, Str())
    price = Computed(lambda line: line.sku.price, Money())
    stock = Computed(lambda line: line.sku.stock, Int())
    invalid = Computed(lambda line: line.invalid_reason is not None, Bool())
    invalid_reason = Str(allow_none=True)


class Cart(Shape):
    """The caller's lines, newest first; the units and exact total of the checked valid lines;
    whether every line is checked."""

    items = List(Nested(CartLine))
    checked_count = Int()
    checked_total = Money()
    all_checked = Bool()


class CartCount(Shape):
    """The cart badge: units in the cart (every line's count, invalid lines too)."""

    count = Int()


class CartChange(Shape):
    """A line as written; `requested` is the count the request asked it to hold and `capped`
    what lowered it (stock / order_max), null when nothing did."""

    item = Nested(CartLine)
    requested = Int()
    capped = Str(allow_none=True)
