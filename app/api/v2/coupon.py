"""Admin coupon templates: list, detail with counts, create, update, switch off, grant, the
holders of a template, and the redeem codes of code coupons."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.exceptions import (
    CouponKindMismatch,
    CouponNotClaimable,
    CouponNotFound,
    CouponOff,
    CouponQuantityTooLow,
    CouponSoldOut,
    UserNotFound,
)
from app.core.pagination import paginate
from app.schemas.base import Items, Page
from app.schemas.coupon import (
    AdminCoupon,
    AdminCouponCode,
    AdminCouponDetail,
    AdminCouponHolder,
    CouponGrant,
)
from app.services import coupons
from app.validators.coupon import (
    CouponCodesForm,
    CouponCreateForm,
    CouponGenerateForm,
    CouponGrantForm,
    CouponHoldersForm,
    CouponListForm,
    CouponUpdateForm,
)

bp = Blueprint("coupon", __name__, url_prefix="/coupon")

MODULE = "优惠券"
READ = "查询优惠券"


def _page(form):
    statement = coupons.template_query(
        kind=form.kind.data, enabled=form.enabled.data, keyword=form.keyword.data
    )
    return paginate(statement, form)


templates = Resource(bp, MODULE, shape=AdminCoupon, missing=[CouponNotFound])
templates.list(
    "list_coupons",
    READ,
    "List coupon templates",
    "List coupon templates, newest first, by kind, on/off or name.",
    _page,
    form=CouponListForm,
)
templates.get(
    "get_coupon",
    READ,
    "Get a coupon template",
    "Get a template with its claimed count and its held copies by status.",
    coupons.template_detail,
    data=AdminCouponDetail,
)
templates.view(
    "POST",
    "",
    "create_coupon",
    "新建优惠券",
    "Create a coupon template",
    "Create a coupon template.",
    lambda form: coupons.create_template(form.present()),
    body=CouponCreateForm,
)
templates.update(
    "update_coupon",
    "更新优惠券",
    "Update a coupon template",
    """Change the fields sent (not the kind); the quantity never goes below what was claimed.
    Copies already held follow the template's new rules.""",
    CouponUpdateForm,
    coupons.update_template,
    errors=[CouponNotFound, CouponQuantityTooLow],
)
templates.view(
    "PUT",
    "/<int:id>/off",
    "switch_off_coupon",
    "更新优惠券",
    "Switch a coupon off",
    "Stop claims, codes and grants of a template; copies already held stay usable.",
    coupons.switch_off,
    errors=[CouponNotFound],
)
templates.view(
    "POST",
    "/<int:id>/grant",
    "grant_coupon",
    "发放优惠券",
    "Grant a coupon to customers",
    """Give one copy to each customer below the per-customer limit (all or none within the
    quantity; claim windows do not apply).""",
    lambda id, form: coupons.grant(id, form.user_ids.data),
    body=CouponGrantForm,
    data=CouponGrant,
    errors=[CouponNotFound, CouponOff, CouponNotClaimable, CouponSoldOut, UserNotFound],
)
templates.view(
    "GET",
    "/<int:id>/holders",
    "list_coupon_holders",
    READ,
    "List the holders of a coupon",
    "List the held copies of a template, newest first, with their holders.",
    lambda id, form: paginate(coupons.holders_query(id, form.status.data), form),
    query=CouponHoldersForm,
    data=Page(AdminCouponHolder),
    errors=[CouponNotFound],
)
templates.view(
    "POST",
    "/<int:id>/codes",
    "generate_coupon_codes",
    "生成兑换码",
    "Generate redeem codes",
    "Generate single-use redeem codes of a code coupon (never more than its quantity).",
    lambda id, form: {"items": coupons.generate_codes(id, form.count.data)},
    body=CouponGenerateForm,
    data=Items(AdminCouponCode),
    errors=[CouponNotFound, CouponKindMismatch],
)
templates.view(
    "GET",
    "/<int:id>/codes",
    "list_coupon_codes",
    READ,
    "List redeem codes",
    "List the redeem codes of a template, newest first, used or free.",
    lambda id, form: paginate(coupons.codes_query(id, form.used.data), form),
    query=CouponCodesForm,
    data=Page(AdminCouponCode),
    errors=[CouponNotFound],
)
