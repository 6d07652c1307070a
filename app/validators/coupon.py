"""Forms of the coupon routes (/v1/coupon, /v2/coupon)."""

from decimal import Decimal

from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    IdListField,
    IntegerField,
    MoneyField,
    PageForm,
    StringField,
    UnixTimeField,
)
from app.models.coupon import KINDS, SCOPE_IDS_MAX, SCOPES, TYPES
from app.services.coupons import STATUSES

CODE_PATTERN = r"[A-Za-z0-9]{1,32}"
GRANT_MAX = 100
CODES_MAX = 1000


class CouponCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=50)
    description = StringField(max_length=200)
    type = EnumField(
        required=True,
        choices=TYPES,
        description="1 full reduction (min_amount + amount), 2 discount (min_amount + percent "
        "+ max_discount?), 3 no threshold (amount)",
    )
    min_amount = MoneyField(
        min_value=Decimal("0"), description="threshold met by the products in scope (types 1, 2)"
    )
    amount = MoneyField(nullable=True, description="what types 1 and 3 take off")
    percent = IntegerField(
        min_value=1, max_value=99, nullable=True, description="type 2: 85 pays 85 % (15 % off)"
    )
    max_discount = MoneyField(nullable=True, description="type 2: the most it takes off")
    scope = EnumField(
        choices=SCOPES, description="all products (default), category_ids or product_ids"
    )
    category_ids = IdListField(max_count=SCOPE_IDS_MAX, description="scope category")
    product_ids = IdListField(max_count=SCOPE_IDS_MAX, description="scope product")
    total = IntegerField(min_value=1, nullable=True, description="quantity; null: unlimited")
    per_user_limit = IntegerField(min_value=1, max_value=100, description="default 1")
    claim_start = UnixTimeField(nullable=True, description="claims open (null: now)")
    claim_end = UnixTimeField(nullable=True, description="claims close (null: never)")
    valid_start = UnixTimeField(nullable=True, description="fixed validity from")
    valid_end = UnixTimeField(nullable=True, description="fixed validity until (excluded)")
    valid_days = IntegerField(
        min_value=1, max_value=3650, nullable=True, description="or: valid for days from the claim"
    )
    enabled = BooleanField(description="default true")
    kind = EnumField(
        choices=KINDS,
        description="claim (customers claim it, default), new_user (granted on the first "
        "login of a new account), code (redeemed with codes staff generate)",
    )


CouponUpdateForm = CouponCreateForm.partial(exclude=("kind",))


class CouponListForm(PageForm):
    kind = EnumField(choices=KINDS)
    enabled = BooleanField()
    keyword = StringField(max_length=50, description="the name contains it")


class CouponGrantForm(BaseForm):
    user_ids = IdListField(
        required=True, min_count=1, max_count=GRANT_MAX, description="customers' user ids"
    )


class CouponHoldersForm(PageForm):
    status = EnumField(choices=STATUSES, description="unused, used or expired; absent: all")


class CouponCodesForm(PageForm):
    used = BooleanField(description="true: redeemed codes; false: codes still free")


class CouponGenerateForm(BaseForm):
    count = IntegerField(required=True, min_value=1, max_value=CODES_MAX)


class CouponRedeemForm(BaseForm):
    code = StringField(
        required=True,
        min_length=1,
        max_length=32,
        pattern=CODE_PATTERN,
        pattern_message="Must be letters and digits.",
        description="a redeem code (case is ignored)",
    )


class MyCouponsForm(PageForm):
    status = EnumField(choices=STATUSES, default="unused")
