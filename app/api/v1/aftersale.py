"""After-sale: the caller asks for money back on units of their paid orders, follows and
withdraws the request, and sends returned goods back."""

from flask import Blueprint

from app.api.resource import Resource, caller_id, values_of
from app.core.auth import current_user, login_required
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
from app.schemas.aftersale import AfterSale, AfterSaleSummary, AfterSaleUpload
from app.schemas.base import Page
from app.services import aftersale, uploads
from app.validators.aftersale import AfterSaleCreateForm, AfterSaleShipForm

bp = Blueprint("aftersale", __name__, url_prefix="/aftersale")

CREATE_FIELDS = ("order_id", "type", "lines", "reason", "description", "images")


mine = Resource(bp, shape=AfterSale, missing=[AfterSaleNotFound])
mine.view(
    "POST",
    "",
    "create_after_sale",
    login_required,
    "Ask for an after-sale",
    """Ask for money back on units of one of the caller's paid, delivered or received orders
    (received: within the `shop.aftersale.days` parameter's days), with or without returning
    the goods; the amount is computed from the lines' paid shares.""",
    lambda form: aftersale.create_after_sale(caller_id(), values_of(form, CREATE_FIELDS)),
    body=AfterSaleCreateForm,
    errors=[
        OrderNotFound,
        AfterSaleLineNotFound,
        AfterSaleNotAllowed,
        AfterSaleLineBusy,
        AfterSaleCountTooLarge,
        AfterSaleImageInvalid,
    ],
)
mine.view(
    "GET",
    "",
    "list_after_sales",
    login_required,
    "List my after-sales",
    "List the caller's after-sales, newest first.",
    lambda form: aftersale.own_after_sale_page(caller_id(), form),
    query=PageForm,
    data=Page(AfterSaleSummary),
)
mine.get(
    "get_after_sale",
    login_required,
    "Get my after-sale",
    "Show one of the caller's after-sales with its lines.",
    lambda id: aftersale.get_own_after_sale(caller_id(), id),
)
mine.view(
    "PUT",
    "/<int:id>/cancel",
    "cancel_after_sale",
    login_required,
    "Cancel my after-sale",
    "Withdraw an after-sale that is pending, or an approved return not sent back yet.",
    lambda id: aftersale.cancel_after_sale(caller_id(), id),
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
mine.view(
    "PUT",
    "/<int:id>/ship",
    "ship_after_sale",
    login_required,
    "Send the goods of my return back",
    "Tell the shop how the goods of an approved return were sent back.",
    lambda id, form: aftersale.ship_after_sale(
        caller_id(), id, form.carrier.data, form.tracking_no.data
    ),
    body=AfterSaleShipForm,
    errors=[AfterSaleNotFound, AfterSaleStatusConflict],
)
mine.upload(
    "/image",
    "upload_after_sale_image",
    login_required,
    "Upload an after-sale image",
    "Keep an image (re-encoded, without its metadata) for one of the caller's after-sales.",
    lambda: uploads.store_review_image(current_user(), uploads.image_from_request()),
    data=AfterSaleUpload,
    errors=[TooManyRequests],
)
