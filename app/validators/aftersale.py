"""Forms of the after-sale routes (/v1/aftersale, /v2/aftersale)."""

from wtforms.validators import StopValidation

from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    FormListField,
    IntegerField,
    PageForm,
    Setting,
    StatusListField,
    StringField,
    UnixTimeField,
)
from app.models.aftersale import (
    ADMIN_REASON_MAX,
    DESCRIPTION_MAX,
    IMAGES_MAX,
    REASON_MAX,
    TYPES,
    AfterSaleStatus,
)
from app.validators.order import carrier_field, tracking_no_field
from app.validators.review import ImageKeyListField, plain_text_field


class AfterSaleLineForm(BaseForm):
    order_product_id = IntegerField(
        required=True, min_value=1, description="a line id of the order (GET /v1/order/{id})"
    )
    count = IntegerField(
        required=True, min_value=1, max_value=Setting("ORDER_MAX_COUNT"), description="units"
    )


class AfterSaleCreateForm(BaseForm):
    order_id = IntegerField(required=True, min_value=1)
    type = EnumField(
        required=True, choices=TYPES, description="1 refund only, 2 return the goods and refund"
    )
    lines = FormListField(
        AfterSaleLineForm,
        required=True,
        min_count=1,
        max_count=Setting("ORDER_MAX_LINES"),
        description="the order lines and units to give back, each line once",
    )
    reason = plain_text_field(REASON_MAX, required=True, min_length=1)
    description = plain_text_field(DESCRIPTION_MAX, default="")
    images = ImageKeyListField(
        default=list, max_count=IMAGES_MAX, description="keys from POST /v1/aftersale/image"
    )

    def validate_lines(self, field):
        ids = [item["order_product_id"] for item in field.data or []]
        if len(ids) != len(set(ids)):
            raise StopValidation("Name each order line once.")


class AfterSaleShipForm(BaseForm):
    carrier = carrier_field(required=True)
    tracking_no = tracking_no_field(required=True)


class AdminAfterSaleListForm(PageForm):
    status = StatusListField(statuses=AfterSaleStatus, noun="after-sale", example="1,2")
    order_no = StringField(max_length=32)
    user_id = IntegerField(min_value=1)
    start = UnixTimeField(description="created at or after (Unix seconds)")
    end = UnixTimeField(description="created at or before (Unix seconds)")


class AfterSaleApproveForm(BaseForm):
    reason = plain_text_field(ADMIN_REASON_MAX, default="", description="shown to the customer")


class AfterSaleRejectForm(BaseForm):
    reason = plain_text_field(
        ADMIN_REASON_MAX, required=True, min_length=1, description="shown to the customer"
    )


class AfterSaleReceiveForm(BaseForm):
    restock = BooleanField(default=False, description="put the returned units back into stock")
