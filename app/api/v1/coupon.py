"""Coupon: what the caller can claim, claiming, redeeming a code, the caller's coupons."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    CouponCodeNotFound,
    CouponCodeUsed,
    CouponLimitReached,
    CouponNotClaimable,
    CouponNotFound,
    CouponOff,
    CouponSoldOut,
    TooManyRequests,
)
from app.core.limits import limit_redeem
from app.core.pagination import paginate
from app.models.base import now
from app.schemas.base import Items, Page
from app.schemas.coupon import ClaimableCoupon, MyCoupon
from app.services import coupons
from app.validators.coupon import CouponRedeemForm, MyCouponsForm

bp = Blueprint("coupon", __name__, url_prefix="/coupon")

CLAIM_ERRORS = [CouponNotClaimable, CouponOff, CouponLimitReached, CouponSoldOut]


@bp.get("")
@login_required
@doc("List coupons to claim", data=Items(ClaimableCoupon))
def list_claimable_coupons():
    """List the coupons open for claims now, newest first, with how many the caller holds."""
    return {"items": coupons.claimable(current_user().id, now())}


@bp.post("/<int:id>/claim")
@login_required
@doc(
    "Claim a coupon",
    data=MyCoupon,
    status=201,
    path=path_ids("id"),
    errors=[CouponNotFound, *CLAIM_ERRORS],
)
def claim_coupon(id):
    """Claim one copy of a claimable coupon, within its quantity and per-customer limit."""
    return coupons.claim(current_user().id, id)


@bp.post("/redeem")
@login_required
@limit_redeem
@doc(
    "Redeem a coupon code",
    body=CouponRedeemForm,
    data=MyCoupon,
    status=201,
    errors=[CouponCodeNotFound, CouponCodeUsed, *CLAIM_ERRORS, TooManyRequests],
)
def redeem_coupon():
    """Turn a single-use redeem code into a coupon of the caller's."""
    form = CouponRedeemForm().validate_or_raise()
    return coupons.redeem(current_user().id, form.code.data)


@bp.get("/mine")
@login_required
@doc("List my coupons", query=MyCouponsForm, data=Page(MyCoupon))
def list_my_coupons():
    """List the caller's coupons of one status: unused (default, soonest to end first), used
    or expired (newest first)."""
    form = MyCouponsForm().validate_or_raise()
    return paginate(coupons.mine_query(current_user().id, form.status.data, now()), form)
