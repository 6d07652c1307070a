"""After-sale: the caller asks for money back on units of their paid orders, follows and
withdraws the request, and sends returned goods back."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import doc, path_ids, upload_doc
from app.core.exceptions import (
    AfterSaleCountTooLarge,
    AfterSaleImageInvalid,
    AfterSaleLineBusy,
    AfterSaleLineNotFound,
    AfterSaleNotAllowed,
    AfterSaleNotFound,
    AfterSaleStatusConflict,
    OrderNotFound,
    TooManyRequests,
)
from app.core.forms import PageForm
from app.core.limits import limit_upload
from app.schemas.aftersale import AfterSale, AfterSaleSummary, AfterSaleUpload
from app.schemas.base import Page
from app.services import aftersale, uploads
from app.validators.aftersale import AfterSaleCreateForm, AfterSaleShipForm

bp = Blueprint("aftersale", __name__, url_prefix="/aftersale")

ID_PATH = path_ids("id")
CREATE_FIELDS = ("order_id", "type", "lines", "reason", "description", "images")


@bp.post("")
@login_required
@doc(
    "Ask for an after-sale",
    body=AfterSaleCreateForm,
    data=AfterSale,
    status=201,
    errors=[
        OrderNotFound,
        AfterSaleLineNotFound,
        AfterSaleNotAllowed,
        AfterSaleLineBusy,
        AfterSaleCountTooLarge,
        AfterSaleImageInvalid,
    ],
)
def create_after_sale():
    """Ask for money back on units of one of the caller's paid, delivered or received orders
    (received: within the `shop.aftersale.days` parameter's days), with or without returning
    the goods; the amount is computed from the lines' paid shares."""
    form = AfterSaleCreateForm().validate_or_raise()
    values = {name: form[name].data for name in CREATE_FIELDS}
    return aftersale.create_after_sale(current_user().id, values)


@bp.get("")
@login_required
@doc("List my after-sales", query=PageForm, data=Page(AfterSaleSummary))
def list_after_sales():
    """List the caller's after-sales, newest first."""
    form = PageForm().validate_or_raise()
    return aftersale.own_after_sale_page(current_user().id, form)


@bp.get("/<int:id>")
@login_required
@doc("Get my after-sale", data=AfterSale, path=ID_PATH, errors=[AfterSaleNotFound])
def get_after_sale(id):
    """Show one of the caller's after-sales with its lines."""
    return aftersale.get_own_after_sale(current_user().id, id)


@bp.put("/<int:id>/cancel")
@login_required
@doc(
    "Cancel my after-sale",
    data=AfterSale,
    status=201,
    path=ID_PATH,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
def cancel_after_sale(id):
    """Withdraw an after-sale that is pending, or an approved return not sent back yet."""
    return aftersale.cancel_after_sale(current_user().id, id)


@bp.put("/<int:id>/ship")
@login_required
@doc(
    "Send the goods of my return back",
    body=AfterSaleShipForm,
    data=AfterSale,
    status=201,
    path=ID_PATH,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
def ship_after_sale(id):
    """Tell the shop how the goods of an approved return were sent back."""
    form = AfterSaleShipForm().validate_or_raise()
    return aftersale.ship_after_sale(
        current_user().id, id, form.carrier.data, form.tracking_no.data
    )


@bp.post("/image")
@login_required
@limit_upload
@upload_doc("Upload an after-sale image", data=AfterSaleUpload, errors=[TooManyRequests])
def upload_after_sale_image():
    """Keep an image (re-encoded, without its metadata) for one of the caller's after-sales."""
    return uploads.store_review_image(current_user(), uploads.image_from_request())
