"""Forms of the order and payment routes (/v1/order, /v1/pay, /v2/order)."""

from app.core.forms import (
    BaseForm,
    FormListField,
    IntegerField,
    PageForm,
    Setting,
    StringField,
    UnixTimeField,
)
from app.models import OrderStatus

STATUS_VALUES = {status.value for status in OrderStatus}


class StatusListField(StringField):
    """One order status or a comma list of them ("1", "2,3")."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            max_length=40,
            description="order status, or a comma list such as 2,3",
            **kwargs,
        )

    def convert(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = super().convert(value)
        parts = [part.strip() for part in text.split(",")]
        if not all(part.isdigit() and int(part) in STATUS_VALUES for part in parts):
            raise ValueError("Must be order statuses (1 to 10), comma-separated.")
        return sorted({int(part) for part in parts})


class OrderLineForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)
    sku_id = IntegerField(min_value=1, description="required when the product has several SKUs")
    count = IntegerField(required=True, min_value=1, max_value=Setting("ORDER_MAX_COUNT"))


class OrderCreateForm(BaseForm):
    products = FormListField(
        OrderLineForm,
        required=True,
        min_count=1,
        max_count=Setting("ORDER_MAX_LINES"),
        description="lines of the same SKU are summed",
    )
    address_id = IntegerField(min_value=1, nullable=True)
    remark = StringField(max_length=200, default="")


class OrderListForm(PageForm):
    status = StatusListField()


class PayOrderForm(BaseForm):
    id = IntegerField(required=True, min_value=1, description="the order id")


class AdminOrderListForm(PageForm):
    start = UnixTimeField(description="create_time from (Unix seconds)")
    end = UnixTimeField(description="create_time to (Unix seconds)")
    status = StatusListField()
    order_no = StringField(max_length=32)
    user_id = IntegerField(min_value=1)


class AdminOrderByUserForm(PageForm):
    uid = IntegerField(min_value=1)
    status = StatusListField()


TRACKING_PATTERN = r"[A-Za-z0-9-]{1,50}"


class DeliveryForm(BaseForm):
    carrier = StringField(required=True, min_length=1, max_length=50)
    tracking_no = StringField(
        required=True,
        min_length=1,
        max_length=50,
        pattern=TRACKING_PATTERN,
        pattern_message="Use letters, digits and '-'.",
    )


class DeliveryByBodyForm(DeliveryForm):
    order_id = IntegerField(required=True, min_value=1)


class AdminCancelForm(BaseForm):
    reason = StringField(max_length=200, default="")


class RefundForm(BaseForm):
    reason = StringField(max_length=80, default="")
