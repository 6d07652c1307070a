"""Coupon shapes: templates as customers and staff see them, held copies, redeem codes, and a
coupon's offer on a basket (the order preview)."""

from app import models
from app.models.base import now
from app.models.coupon import CouponStatus
from app.schemas.base import (
    ADMIN,
    Bool,
    Computed,
    FieldGroup,
    Int,
    List,
    Money,
    Nested,
    Shape,
    Str,
    Time,
)
from app.schemas.user import Customer

STATUS_NAMES = {
    CouponStatus.UNUSED: "unused",
    CouponStatus.USED: "used",
    CouponStatus.EXPIRED: "expired",
}


def _status(held) -> str:
    return STATUS_NAMES[held.state(now())]


class CouponTemplate(Shape):
    """What a coupon takes off: type 1 full reduction (`amount` off at `min_amount` of
    products in scope), 2 discount (pays `percent` %, at most `max_discount` off), 3 no
    threshold (`amount` off); scope all / category (`category_ids`) / product
    (`product_ids`); validity a fixed window (`valid_start`..`valid_end`) or `valid_days` from
    the claim."""

    model = models.Coupon
    answers = (
        "id name description type min_amount amount percent max_discount scope category_ids",
        "product_ids per_user_limit claim_start claim_end valid_start valid_end valid_days",
    )
    category_ids = List(Int())
    product_ids = List(Int())
    claim_start = Time(allow_none=True)
    claim_end = Time(allow_none=True)
    valid_start = Time(allow_none=True)
    valid_end = Time(allow_none=True)


def _remaining(entry):
    coupon = entry["coupon"]
    return None if coupon.total is None else max(0, coupon.total - coupon.claimed)


class ClaimableCoupon(Shape):
    """A coupon open for claims now: how many the caller holds (`held`, any status), how many
    are left (`remaining`, null: unlimited), and whether the caller can claim one more."""

    coupon = Nested(CouponTemplate)
    held = Int()
    remaining = Computed(_remaining, Int(allow_none=True))
    can_claim = Bool()


class HeldCopy(FieldGroup):
    """A held copy's status now and its own validity window."""

    status = Computed(_status, Str())
    valid_start = Time()
    valid_end = Time()
    claim_time = Time()


class MyCoupon(HeldCopy, Shape):
    """A coupon the caller holds: `status` unused / used / expired (an unused copy past
    `valid_end` is expired), its own validity window, the order it was used on."""

    model = models.UserCoupon
    answers = "id coupon_id status source valid_start valid_end claim_time use_time order_id coupon"
    coupon = Nested(CouponTemplate)


class AdminCoupon(CouponTemplate):
    """A coupon template with its quantity (`total`, null: unlimited), the copies `claimed`,
    its kind (claim / new_user / code) and whether it is on."""

    audience = ADMIN
    answers = "total claimed enabled kind create_time update_time"


class CouponUsage(Shape):
    """Held copies by status as of now."""

    unused = Int()
    used = Int()
    expired = Int()


class AdminCouponDetail(AdminCoupon):
    """A template with its held copies by status and, for code coupons, the codes generated
    (null for other kinds)."""

    audience = ADMIN
    usage = Nested(CouponUsage)
    code_count = Int(allow_none=True)


class AdminCouponHolder(HeldCopy, Customer, Shape):
    """A held copy of a template and its holder."""

    audience = ADMIN
    model = models.UserCoupon
    answers = (
        "id user_id user_nickname status source valid_start valid_end claim_time use_time",
        "order_id",
    )


class AdminCouponCode(Shape):
    """A redeem code: free until `used_by` redeems it."""

    audience = ADMIN
    model = models.CouponCode
    answers = "id code used_by used_time user_coupon_id create_time"


class CouponGrant(Shape):
    """Who got a copy, and who already held as many as one customer may (`skipped`)."""

    audience = ADMIN
    granted = List(Int())
    skipped = List(Int())


class CouponOffer(Shape):
    """What one held coupon gives on this basket: `discount` (0.00 when it cannot be used),
    the amount of the products in its scope, and `reason_code` / `reason` why it cannot be
    used (null when it can): used, expired, not_started, scope (no product in scope),
    threshold (the products in scope do not reach min_amount)."""

    user_coupon_id = Computed(lambda o: o.held.id, Int())
    coupon_id = Computed(lambda o: o.coupon.id, Int())
    name = Computed(lambda o: o.coupon.name, Str())
    type = Computed(lambda o: o.coupon.type, Int())
    valid_end = Computed(lambda o: o.held.valid_end, Time())
    discount = Money()
    eligible_amount = Money()
    usable = Bool()
    reason_code = Str(allow_none=True)
    reason = Str()
