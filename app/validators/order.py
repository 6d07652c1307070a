"""Forms of the order and payment routes (/v1/order, /v1/pay, /v2/order)."""

from wtforms.validators import StopValidation

from app.core.forms import (
    BaseForm,
    EnumField,
    FormListField,
    IdListField,
    IntegerField,
    PageForm,
    Setting,
    StatusListField,
    StringField,
    UnixTimeField,
)
from app.models import OrderStatus
from app.services.wechat_platform import shipping


class OrderLineForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)
    sku_id = IntegerField(min_value=1, description="required when the product has several SKUs")
    count = IntegerField(required=True, min_value=1, max_value=Setting("ORDER_MAX_COUNT"))


class OrderLinesForm(BaseForm):
    """What an order holds: `products` or `cart_item_ids`, exactly one of the two."""

    products = FormListField(
        OrderLineForm,
        min_count=1,
        max_count=Setting("ORDER_MAX_LINES"),
        description="the lines to order (lines of the same SKU are summed); or cart_item_ids",
    )
    cart_item_ids = IdListField(
        min_count=1,
        max_count=Setting("ORDER_MAX_LINES"),
        description="the caller's cart lines to order, with their SKUs and counts (placing the "
        "order removes them); or products",
    )
    address_id = IntegerField(
        min_value=1, nullable=True, description="one of the caller's addresses; default: theirs"
    )
    user_coupon_id = IntegerField(
        min_value=1,
        nullable=True,
        description="one of the caller's coupons (GET /v1/coupon/mine, or the preview's "
        "usable_coupons); default: none",
    )

    def validate_cart_item_ids(self, field):
        if field.present and self.products.present:
            raise StopValidation("Send products or cart_item_ids, not both.")
        if not field.present and not self.products.present:
            raise StopValidation("Send products or cart_item_ids.")


class OrderCreateForm(OrderLinesForm):
    remark = StringField(max_length=200, default="")


class OrderPreviewForm(OrderLinesForm):
    """The body of POST /v1/order without remark."""


class OrderListForm(PageForm):
    status = StatusListField(statuses=OrderStatus, noun="order", example="2,3")


class PayOrderForm(BaseForm):
    id = IntegerField(required=True, min_value=1, description="the order id")


class AdminOrderFilterForm(BaseForm):
    """The filters of the admin order search, shared by the list and the export."""

    start = UnixTimeField(description="create_time from (Unix seconds)")
    end = UnixTimeField(description="create_time to (Unix seconds)")
    status = StatusListField(statuses=OrderStatus, noun="order", example="2,3")
    order_no = StringField(max_length=32)
    user_id = IntegerField(min_value=1)

    def filters(self) -> dict:
        """The keyword arguments of `orders.order_query`."""
        return {
            "user_id": self.user_id.data,
            "statuses": self.status.data,
            "start": self.start.data,
            "end": self.end.data,
            "order_no": self.order_no.data,
        }


class AdminOrderListForm(PageForm, AdminOrderFilterForm):
    pass


class AdminOrderByUserForm(PageForm):
    uid = IntegerField(min_value=1)
    status = StatusListField(statuses=OrderStatus, noun="order", example="2,3")


TRACKING_PATTERN = r"[A-Za-z0-9-]{1,50}"


def carrier_field(**kwargs) -> StringField:
    return StringField(min_length=1, max_length=50, **kwargs)


def tracking_no_field(**kwargs) -> StringField:
    return StringField(
        min_length=1,
        max_length=50,
        pattern=TRACKING_PATTERN,
        pattern_message="Use letters, digits and '-'.",
        **kwargs,
    )


class DeliveryForm(BaseForm):
    carrier = carrier_field(
        description="required for express delivery (logistics_type 1): a name or id of "
        "WeChat's delivery company list, e.g. 顺丰速运 or SF",
    )
    tracking_no = tracking_no_field(
        description="required for express delivery (logistics_type 1)",
    )
    logistics_type = EnumField(
        choices=shipping.LOGISTICS_TYPES,
        default=shipping.EXPRESS,
        description="1 express company (default), 2 same-city delivery, 3 virtual goods, "
        "4 self-pickup (what WeChat is told)",
    )
    item_desc = StringField(
        max_length=shipping.ITEM_DESC_MAX,
        description="what the parcel holds, as WeChat shows the customer "
        "(default: the order's lines)",
    )

    def validate_carrier(self, field):
        _required_for_express(self, field)

    def validate_tracking_no(self, field):
        _required_for_express(self, field)


def _required_for_express(form, field):
    if form.logistics_type.data == shipping.EXPRESS and not field.present:
        raise StopValidation("This field is required.")


class DeliveryByBodyForm(DeliveryForm):
    order_id = IntegerField(required=True, min_value=1)


class AdminCancelForm(BaseForm):
    reason = StringField(max_length=200, default="")


class RefundForm(BaseForm):
    reason = StringField(max_length=80, default="")
