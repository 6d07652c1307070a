"""Forms of the address book routes (/v1/address)."""

from app.core.forms import BaseForm, BooleanField, StringField
from app.validators.user import mobile_field


class AddressCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=30, description="recipient")
    mobile = mobile_field(required=True)
    province = StringField(required=True, min_length=1, max_length=20)
    city = StringField(required=True, min_length=1, max_length=20)
    country = StringField(max_length=20, default="", description="district or county")
    detail = StringField(required=True, min_length=1, max_length=100, description="street address")
    is_default = BooleanField(default=False, description="true makes this the default address")


AddressUpdateForm = AddressCreateForm.partial()
