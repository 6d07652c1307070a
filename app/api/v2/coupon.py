"""Admin coupon templates: list, detail with counts, create, update, switch off, grant, the
holders of a template, and the redeem codes of code coupons."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
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
ID_PATH = path_ids("id")


@bp.get("/list")
@permission("查询优惠券", MODULE)
@doc("List coupon templates", query=CouponListForm, data=Page(AdminCoupon))
def list_coupons():
    """List coupon templates, newest first, by kind, on/off or name."""
    form = CouponListForm().validate_or_raise()
    statement = coupons.template_query(
        kind=form.kind.data, enabled=form.enabled.data, keyword=form.keyword.data
    )
    return paginate(statement, form)


@bp.get("/<int:id>")
@permission("查询优惠券", MODULE)
@doc("Get a coupon template", data=AdminCouponDetail, path=ID_PATH, errors=[CouponNotFound])
def get_coupon(id):
    """Get a template with its claimed count and its held copies by status."""
    return coupons.template_detail(id)


@bp.post("")
@permission("新建优惠券", MODULE)
@doc("Create a coupon template", body=CouponCreateForm, data=AdminCoupon, status=201)
def create_coupon():
    """Create a coupon template."""
    form = CouponCreateForm().validate_or_raise()
    return coupons.create_template(form.present())


@bp.put("/<int:id>")
@permission("更新优惠券", MODULE)
@doc(
    "Update a coupon template",
    body=CouponUpdateForm,
    data=AdminCoupon,
    status=201,
    path=ID_PATH,
    errors=[CouponNotFound, CouponQuantityTooLow],
)
def update_coupon(id):
    """Change the fields sent (not the kind); the quantity never goes below what was claimed.
    Copies already held follow the template's new rules."""
    form = CouponUpdateForm().validate_or_raise()
    return coupons.update_template(id, form.present())


@bp.put("/<int:id>/off")
@permission("更新优惠券", MODULE)
@doc("Switch a coupon off", data=AdminCoupon, status=201, path=ID_PATH, errors=[CouponNotFound])
def switch_off_coupon(id):
    """Stop claims, codes and grants of a template; copies already held stay usable."""
    return coupons.switch_off(id)


@bp.post("/<int:id>/grant")
@permission("发放优惠券", MODULE)
@doc(
    "Grant a coupon to customers",
    body=CouponGrantForm,
    data=CouponGrant,
    status=201,
    path=ID_PATH,
    errors=[CouponNotFound, CouponOff, CouponNotClaimable, CouponSoldOut, UserNotFound],
)
def grant_coupon(id):
    """Give one copy to each customer below the per-customer limit (all or none within the
    quantity; claim windows do not apply)."""
    form = CouponGrantForm().validate_or_raise()
    return coupons.grant(id, form.user_ids.data)


@bp.get("/<int:id>/holders")
@permission("查询优惠券", MODULE)
@doc(
    "List the holders of a coupon",
    query=CouponHoldersForm,
    data=Page(AdminCouponHolder),
    path=ID_PATH,
    errors=[CouponNotFound],
)
def list_coupon_holders(id):
    """List the held copies of a template, newest first, with their holders."""
    form = CouponHoldersForm().validate_or_raise()
    return paginate(coupons.holders_query(id, form.status.data), form)


@bp.post("/<int:id>/codes")
@permission("生成兑换码", MODULE)
@doc(
    "Generate redeem codes",
    body=CouponGenerateForm,
    data=Items(AdminCouponCode),
    status=201,
    path=ID_PATH,
    errors=[CouponNotFound, CouponKindMismatch],
)
def generate_coupon_codes(id):
    """Generate single-use redeem codes of a code coupon (never more than its quantity)."""
    form = CouponGenerateForm().validate_or_raise()
    return {"items": coupons.generate_codes(id, form.count.data)}


@bp.get("/<int:id>/codes")
@permission("查询优惠券", MODULE)
@doc(
    "List redeem codes",
    query=CouponCodesForm,
    data=Page(AdminCouponCode),
    path=ID_PATH,
    errors=[CouponNotFound],
)
def list_coupon_codes(id):
    """List the redeem codes of a template, newest first, used or free."""
    form = CouponCodesForm().validate_or_raise()
    return paginate(coupons.codes_query(id, form.used.data), form)
