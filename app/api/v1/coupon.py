"""Coupon: what the caller can claim, claiming, redeeming a code, the caller's coupons."""

from flask import Blueprint

from app.api.resource import Resource, caller_id, guarded
from app.core.auth import login_required
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


mine = Resource(bp, shape=MyCoupon, missing=[CouponNotFound])
mine.view(
    "GET",
    "",
    "list_claimable_coupons",
    login_required,
    "List coupons to claim",
    "List the coupons open for claims now, newest first, with how many the caller holds.",
    lambda: {"items": coupons.claimable(caller_id(), now())},
    data=Items(ClaimableCoupon),
)
mine.view(
    "POST",
    "/<int:id>/claim",
    "claim_coupon",
    login_required,
    "Claim a coupon",
    "Claim one copy of a claimable coupon, within its quantity and per-customer limit.",
    lambda id: coupons.claim(caller_id(), id),
    errors=[CouponNotFound, *CLAIM_ERRORS],
)
mine.view(
    "POST",
    "/redeem",
    "redeem_coupon",
    guarded(login_required, limit_redeem),
    "Redeem a coupon code",
    "Turn a single-use redeem code into a coupon of the caller's.",
    lambda form: coupons.redeem(caller_id(), form.code.data),
    body=CouponRedeemForm,
    errors=[CouponCodeNotFound, CouponCodeUsed, *CLAIM_ERRORS, TooManyRequests],
)
mine.view(
    "GET",
    "/mine",
    "list_my_coupons",
    login_required,
    "List my coupons",
    """List the caller's coupons of one status: unused (default, soonest to end first), used
    or expired (newest first).""",
    lambda form: paginate(coupons.mine_query(caller_id(), form.status.data, now()), form),
    query=MyCouponsForm,
    data=Page(MyCoupon),
)
