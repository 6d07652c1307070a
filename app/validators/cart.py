"""Forms of the cart routes (/v1/cart)."""

from wtforms.validators import ValidationError

from app.core.forms import BaseForm, BooleanField, IdListField, IntegerField, Setting


def _count_field(**kwargs) -> IntegerField:
    return IntegerField(
        min_value=1,
        max_value=Setting("ORDER_MAX_COUNT"),
        description="units; capped by stock and by the order cap, the answer says when",
        **kwargs,
    )


class CartAddForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)
    sku_id = IntegerField(
        min_value=1, nullable=True, description="required when the product has several SKUs"
    )
    count = _count_field(required=True)


class CartUpdateForm(BaseForm):
    count = _count_field()
    checked = BooleanField()

    def validate_checked(self, field):
        if not field.present and not self.count.present:
            raise ValidationError("Send count, checked or both.")


class CartCheckForm(BaseForm):
    ids = IdListField(
        min_count=1,
        max_count=Setting("CART_MAX_LINES"),
        description="cart line ids; absent: every line",
    )
    checked = BooleanField(required=True)
