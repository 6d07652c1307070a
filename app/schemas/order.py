"""Order shapes: the customer's summary and detail, what placing an order answers, and the
admin views with the order's events, payments and refunds."""

from marshmallow import fields

from app import models
from app.models.base import fen_to_yuan
from app.schemas.base import (
    ADMIN,
    Bool,
    Computed,
    ImageUrl,
    Int,
    List,
    Money,
    Nested,
    Shape,
    SnapshotUrl,
    Str,
    Text,
)
from app.schemas.coupon import CouponOffer
from app.schemas.outbox import ShippingUpload
from app.schemas.user import Customer
from app.services.orders import order_coupon


class OrderSummary(Shape):
    """An order in a list; snap_* are the snapshot taken when it was placed."""

    model = models.Order
    answers = (
        "id order_no user_id order_status snap_name snap_img total_count total_price create_time",
        "expire_time pay_time",
    )
    snap_img = SnapshotUrl()


class SnapItem(Shape):
    """A product line as it was when the order was placed (`sku_id` null and `spec` "" on
    lines older than SKUs)."""

    id = Int()
    sku_id = Int(allow_none=True, dump_default=None)
    name = Str()
    spec = Text()
    price = Money()
    count = Int()
    total_price = Money()
    main_image = SnapshotUrl()


class SnapAddress(Shape):
    """The delivery address as it was when the order was placed."""

    name = Text()
    mobile = Text()
    province = Text()
    city = Text()
    country = Text()
    detail = Text()


def snap_item_of(order, line) -> dict:
    """The snapshot item of an order line (same product and SKU); {} when none matches."""
    for item in order.snap_items or []:
        if item.get("id") == line.product_id and item.get("sku_id") == line.sku_id:
            return item
    return {}


class OrderLine(Shape):
    """A line of the order, for after-sales (POST /v1/aftersale names `order_product_id`):
    `pay_amount` is the line's exact share of what was paid; `refunded_*` what after-sales
    and refunds gave back (or are giving back), `refundable_*` what is left; `after_sale_id`
    the open after-sale holding the line (null when none: a new one may be asked)."""

    model = models.OrderProduct
    answers = (
        "order_product_id product_id sku_id name spec main_image price count pay_amount",
        "refunded_count refunded_amount refundable_count refundable_amount after_sale_id",
    )
    order_product_id = Int(attribute="id")
    name = Computed(lambda line: line.snap.get("name", ""), Str())
    spec = Text()
    main_image = Computed(lambda line: line.snap.get("main_image", ""), SnapshotUrl())
    refundable_count = Int()
    refundable_amount = Money()
    after_sale_id = Int(attribute="open_after_sale_id", allow_none=True)


def _lines(order) -> list:
    for line in order.lines:
        line.snap = snap_item_of(order, line)
    return order.lines


class OrderCoupon(Shape):
    """The coupon an order used: the copy, the template and its name, what it took off."""

    user_coupon_id = Int()
    coupon_id = Int()
    name = Str()
    discount = Money()


class OrderDetail(OrderSummary):
    """An order with its snapshot lines, address and every step's time. The amounts:
    `pay_amount` (= `total_price`) = `goods_amount` + `freight_amount` - `coupon_discount`;
    `coupon` is the coupon used (null: none). `refunded_amount` is what its refunds gave back
    or are giving back (all of pay_amount once it is REFUNDED). `lines` are its order lines
    with what each can still give back."""

    answers = (
        "snap_items snap_address goods_amount freight_amount coupon_discount pay_amount",
        "refunded_amount lines coupon remark cancel_time delivery_time receive_time carrier",
        "tracking_no update_time",
    )
    snap_items = Computed(lambda o: o.snap_items or [], List(Nested(SnapItem)))
    snap_address = Computed(lambda o: o.snap_address or {}, Nested(SnapAddress))
    pay_amount = Money()
    lines = Computed(_lines, List(Nested(OrderLine)))
    coupon = Computed(order_coupon, Nested(OrderCoupon, allow_none=True))


class PlacedOrder(Shape):
    """A new order: pay it before expire_time (Unix seconds)."""

    model = models.Order
    answers = "order_id order_no create_time expire_time total_price total_count placed"
    order_id = Int(attribute="id")
    create_time = Int()
    expire_time = Int()
    placed = fields.Constant(True, data_key="pass")


class AdminOrderSummary(Customer, OrderSummary):
    """An order in an admin list, with its customer's nickname."""

    audience = ADMIN
    answers = "user_nickname"


class OrderEvent(Shape):
    """One status change of an order and who made it."""

    audience = ADMIN
    model = models.OrderEvent
    answers = "from_status to_status actor_type actor_id reason create_time"


class OrderPayment(Shape):
    """A WeChat payment received for an order (amount in yuan)."""

    audience = ADMIN
    model = models.Payment
    answers = "id transaction_id amount trade_state success_time needs_refund"
    amount = Computed(lambda p: fen_to_yuan(p.amount), Money())


class OrderRefund(Shape):
    """A refund of an order (amount in yuan)."""

    audience = ADMIN
    model = models.Refund
    answers = "id out_refund_no amount status reason success_time create_time"
    amount = Computed(lambda r: fen_to_yuan(r.amount), Money())


class AdminOrderDetail(Customer, OrderDetail):
    """An order with its customer, stock state, events, payments and refunds, and the state of
    its WeChat shipping upload (null when none was queued: not paid through WeChat Pay)."""

    audience = ADMIN
    answers = "user_nickname stock_released events payments refunds shipping_upload"
    events = List(Nested(OrderEvent))
    payments = List(Nested(OrderPayment))
    refunds = List(Nested(OrderRefund))
    shipping_upload = Computed(
        lambda o: o.shipping_uploads[-1] if o.shipping_uploads else None,
        Nested(ShippingUpload, allow_none=True),
    )


class OrderProblem(Shape):
    """Why a line cannot be ordered as it stands, or why the order cannot be placed.

    Line codes: deleted (the product), off_sale (the product or the SKU), sku_required (the
    product has several SKUs: send sku_id), sku_missing (the SKU is deleted or not of this
    product), short_of_stock (`available` units left). Order codes: lines (some line has a
    problem), total_too_large (over what one order can total), coupon (the chosen coupon
    cannot be used: `reason`), no_address (the caller has no delivery address)."""

    code = Str()
    reason = Str()
    available = Int(allow_none=True)


class OrderPreviewLine(Shape):
    """A line as the order would hold it (lines of one SKU merged): `price` is the unit price
    now, `total_price` the line total; both null when the SKU is unknown. `discount` is the
    line's share of the coupon discount and `pay_amount` what it pays (null for a line with a
    problem). `cart_item_id` is the cart line it comes from (null for `products` lines)."""

    cart_item_id = Int(allow_none=True)
    product_id = Int()
    sku_id = Int(allow_none=True)
    name = Str()
    spec = Str()
    image = ImageUrl()
    price = Money(allow_none=True)
    count = Int()
    total_price = Money(attribute="total", allow_none=True)
    discount = Money()
    pay_amount = Money(allow_none=True)
    problem = Nested(OrderProblem, allow_none=True)


class OrderPreview(Shape):
    """What placing these lines would order now, and what it would cost: `total_count` and
    `goods_amount` add up the lines without a problem; `freight_amount` follows the shop's
    freight parameters; `coupon_discount` is what the chosen coupon (`user_coupon_id`) takes
    off; `pay_amount` (= `total_price`) = goods + freight - discount, at least 0.01, what the
    order would total (the placed order's, when `can_place`), and the lines' `pay_amount`
    add up to `pay_amount - freight_amount`. `usable_coupons` (best first, with the discount
    each gives) and `unusable_coupons` (with the reason) are every coupon the caller holds;
    `best_user_coupon_id` is the one that takes most off (null: none). Nothing is reserved:
    stock can change before the order is placed. `problem` says why it cannot be placed
    (null when it can)."""

    lines = List(Nested(OrderPreviewLine))
    total_count = Int()
    goods_amount = Money()
    freight_amount = Money()
    coupon_discount = Money()
    pay_amount = Money()
    total_price = Money()
    user_coupon_id = Computed(
        lambda q: q.user_coupon.id if q.user_coupon else None, Int(allow_none=True)
    )
    coupon = Nested(CouponOffer, allow_none=True)
    usable_coupons = List(Nested(CouponOffer))
    unusable_coupons = List(Nested(CouponOffer))
    best_user_coupon_id = Computed(
        lambda q: q.best_coupon.held.id if q.best_coupon else None, Int(allow_none=True)
    )
    address_id = Computed(lambda q: q.address.id if q.address else None, Int(allow_none=True))
    address = Nested(SnapAddress, allow_none=True)
    can_place = Bool()
    problem = Nested(OrderProblem, allow_none=True)
