"""After-sale shapes: the customer's after-sale with its lines, and the staff views with the
customer, the events and the refunds."""

from app.schemas.base import ADMIN, Bool, Computed, Int, List, Money, Nested, Shape, Str, Time
from app.schemas.order import OrderRefund, snap_item_of


class AfterSaleLine(Shape):
    """Units of one order line in the after-sale and what they give back (`amount`), with the
    line's snapshot name and spec."""

    order_product_id = Int()
    product_id = Computed(lambda line: line.order_product.product_id, Int())
    sku_id = Computed(lambda line: line.order_product.sku_id, Int(allow_none=True))
    name = Computed(lambda line: line.snap.get("name", ""), Str())
    spec = Computed(lambda line: line.order_product.spec or "", Str())
    count = Int()
    amount = Money()


def _lines(after_sale) -> list:
    for line in after_sale.lines:
        line.snap = snap_item_of(after_sale.order, line.order_product)
    return after_sale.lines


class AfterSale(Shape):
    """An after-sale. `type`: 1 refund only, 2 return and refund. `status`: 1 pending (waiting
    for the shop), 2 approved (a return: send the goods with PUT /v1/aftersale/{id}/ship),
    3 shipped back, 4 refunding, 5 refunded, 6 rejected (`admin_reason` says why), 7 cancelled,
    8 refund failed (the shop retries). `amount` = `goods_amount` (the lines) + `freight_amount`
    (only on the refund that leaves no unit of the order unrefunded)."""

    id = Int()
    order_id = Int()
    order_no = Computed(lambda a: a.order.order_no if a.order else "", Str())
    type = Int()
    status = Int()
    reason = Str()
    description = Str()
    images = List(Str(), attribute="image_urls")
    amount = Money()
    goods_amount = Money()
    freight_amount = Money()
    lines = Computed(_lines, List(Nested(AfterSaleLine)))
    carrier = Str(allow_none=True)
    tracking_no = Str(allow_none=True)
    admin_reason = Str()
    create_time = Time()
    update_time = Time()
    decide_time = Time(allow_none=True)
    ship_time = Time(allow_none=True)
    receive_time = Time(allow_none=True)
    refund_time = Time(allow_none=True)
    cancel_time = Time(allow_none=True)


class AfterSaleSummary(Shape):
    """An after-sale in a list."""

    id = Int()
    order_id = Int()
    order_no = Computed(lambda a: a.order.order_no if a.order else "", Str())
    type = Int()
    status = Int()
    reason = Str()
    amount = Money()
    count = Computed(lambda a: sum(line.count for line in a.lines), Int())
    create_time = Time()
    update_time = Time()


def _nickname(after_sale) -> str:
    return (after_sale.user.nickname or "") if after_sale.user is not None else ""


class AdminAfterSaleSummary(Shape):
    """An after-sale in an admin list, with its customer's nickname."""

    audience = ADMIN
    id = Int()
    order_id = Int()
    order_no = Computed(lambda a: a.order.order_no if a.order else "", Str())
    user_id = Int()
    user_nickname = Computed(_nickname, Str())
    type = Int()
    status = Int()
    reason = Str()
    amount = Money()
    restocked = Bool()
    create_time = Time()
    update_time = Time()


class AfterSaleEvent(Shape):
    """One status change of an after-sale and who made it (a restock is an event from and to
    the same status)."""

    audience = ADMIN
    from_status = Int(allow_none=True)
    to_status = Int()
    actor_type = Str()
    actor_id = Int(allow_none=True)
    reason = Str()
    create_time = Time()


class AdminAfterSale(AfterSale):
    """An after-sale as staff see it: its customer, who handled it, whether its units are back
    in stock, its events and its refunds (a failed refund shows status ABNORMAL or CLOSED; retry
    it with PUT /v2/aftersale/{id}/refund)."""

    audience = ADMIN
    user_id = Int()
    user_nickname = Computed(_nickname, Str())
    handler_id = Int(allow_none=True)
    restocked = Bool()
    events = List(Nested(AfterSaleEvent))
    refunds = List(Nested(OrderRefund))


class AfterSaleUpload(Shape):
    """An image kept for an after-sale: send `key` in the after-sale's `images`."""

    key = Str()
    url = Str()
