"""After-sale shapes: the customer's after-sale with its lines, and the staff views with the
customer, the events and the refunds."""

from app import models
from app.schemas.base import ADMIN, Computed, FieldGroup, Int, List, Nested, Shape, Str
from app.schemas.order import OrderRefund, snap_item_of
from app.schemas.user import Customer


class AfterSaleLine(Shape):
    """Units of one order line in the after-sale and what they give back (`amount`), with the
    line's snapshot name and spec."""

    model = models.AfterSaleLine
    answers = "order_product_id product_id sku_id name spec count amount"
    product_id = Computed(lambda line: line.order_product.product_id, Int())
    sku_id = Computed(lambda line: line.order_product.sku_id, Int(allow_none=True))
    name = Computed(lambda line: line.snap.get("name", ""), Str())
    spec = Computed(lambda line: line.order_product.spec or "", Str())


class OfOrder(FieldGroup):
    """The order an after-sale is of."""

    order_no = Computed(lambda a: a.order.order_no if a.order else "", Str())


def _lines(after_sale) -> list:
    for line in after_sale.lines:
        line.snap = snap_item_of(after_sale.order, line.order_product)
    return after_sale.lines


class AfterSale(OfOrder, Shape):
    """An after-sale. `type`: 1 refund only, 2 return and refund. `status`: 1 pending (waiting
    for the shop), 2 approved (a return: send the goods with PUT /v1/aftersale/{id}/ship),
    3 shipped back, 4 refunding, 5 refunded, 6 rejected (`admin_reason` says why), 7 cancelled,
    8 refund failed (the shop retries). `amount` = `goods_amount` (the lines) + `freight_amount`
    (only on the refund that leaves no unit of the order unrefunded)."""

    model = models.AfterSale
    answers = (
        "id order_id order_no type status reason description images amount goods_amount",
        "freight_amount lines carrier tracking_no admin_reason create_time update_time decide_time",
        "ship_time receive_time refund_time cancel_time",
    )
    images = List(Str(), attribute="image_urls")
    lines = Computed(_lines, List(Nested(AfterSaleLine)))


class AfterSaleSummary(OfOrder, Shape):
    """An after-sale in a list."""

    model = models.AfterSale
    answers = "id order_id order_no type status reason amount count create_time update_time"
    count = Computed(lambda a: sum(line.count for line in a.lines), Int())


class AdminAfterSaleSummary(OfOrder, Customer, Shape):
    """An after-sale in an admin list, with its customer's nickname."""

    audience = ADMIN
    model = models.AfterSale
    answers = (
        "id order_id order_no user_id user_nickname type status reason amount restocked",
        "create_time update_time",
    )


class AfterSaleEvent(Shape):
    """One status change of an after-sale and who made it (a restock is an event from and to
    the same status)."""

    audience = ADMIN
    model = models.AfterSaleEvent
    answers = "from_status to_status actor_type actor_id reason create_time"


class AdminAfterSale(Customer, AfterSale):
    """An after-sale as staff see it: its customer, who handled it, whether its units are back
    in stock, its events and its refunds (a failed refund shows status ABNORMAL or CLOSED; retry
    it with PUT /v2/aftersale/{id}/refund)."""

    audience = ADMIN
    answers = "user_id user_nickname handler_id restocked events refunds"
    events = List(Nested(AfterSaleEvent))
    refunds = List(Nested(OrderRefund))


class AfterSaleUpload(Shape):
    """An image kept for an after-sale: send `key` in the after-sale's `images`."""

    key = Str()
    url = Str()
