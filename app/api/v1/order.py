"""Order: the caller's own orders."""

import re

from flask import Blueprint, jsonify, request

from app.core.auth import current_user, login_checked_later, login_required
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    AddressNotFound,
    CartItemNotFound,
    Conflict,
    CouponNotUsable,
    IdempotencyConflict,
    NoDeliveryAddress,
    OrderNotFound,
    OrderStatusConflict,
    OrderTotalTooLarge,
    OutOfStock,
    ParameterException,
    ProductNotFound,
    SkuNotFound,
    SkuRequired,
    TooManyRequests,
    UserCouponNotFound,
)
from app.core.forms import json_body
from app.core.limits import limit_order
from app.core.pagination import paginate
from app.core.response import CREATED_MSG, envelope
from app.schemas.base import Page
from app.schemas.order import OrderDetail, OrderPreview, OrderSummary, PlacedOrder
from app.services import orders
from app.validators.order import OrderCreateForm, OrderListForm, OrderPreviewForm

bp = Blueprint("order", __name__, url_prefix="/order")

_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ParameterException("Idempotency-Key: use 1 to 64 characters of A-Z a-z 0-9 _ -")
    return key


@bp.post("")
@login_checked_later
@limit_order
@doc(
    "Place an order",
    body=OrderCreateForm,
    data=PlacedOrder,
    status=201,
    errors=[
        ProductNotFound,
        SkuRequired,
        SkuNotFound,
        CartItemNotFound,
        OutOfStock,
        OrderTotalTooLarge,
        AddressNotFound,
        NoDeliveryAddress,
        UserCouponNotFound,
        CouponNotUsable,
        IdempotencyConflict,
        Conflict,
        TooManyRequests,
    ],
)
def create_order():
    """Place an order of `products` lines, or of cart lines (`cart_item_ids`: the lines'
    SKUs and counts, and the lines are removed with the placement; exactly one of the two),
    reserving stock, with one of the caller's coupons (`user_coupon_id`), used in the same
    transaction. With an `Idempotency-Key`, a retry answers the first answer again."""
    caller = current_user()
    checkout = orders.read_checkout(caller)  # the token's user check (login_checked_later)
    key = _idempotency_key()
    form = OrderCreateForm().validate_or_raise()
    idempotent = None
    if key is not None:
        digest = orders.request_hash(request.method, request.path, json_body())
        idempotent = orders.IdempotentRequest(key, digest, _answer)
    placed = orders.place_order(
        caller.id,
        form.value("products"),
        form.address_id.data,
        form.remark.data or "",
        cart_item_ids=form.value("cart_item_ids"),
        user_coupon_id=form.user_coupon_id.data,
        idempotent=idempotent,
        checkout=checkout,
    )
    if isinstance(placed, orders.Replay):  # keyed: the answer stored with the key
        status_code, body = placed.status_code, placed.body
    else:
        status_code, body = _answer(placed)
    # Answered here (not by @doc): the idempotency record keeps this exact body.
    response = jsonify(body)
    response.status_code = status_code
    return response


def _answer(order) -> tuple[int, dict]:
    """What placing `order` answers (built before the commit, so it is stored with the key)."""
    return 201, envelope(1, PlacedOrder.serialize(order), CREATED_MSG)


@bp.post("/preview")
@login_required
@doc(
    "Preview an order",
    body=OrderPreviewForm,
    data=OrderPreview,
    errors=[CartItemNotFound, AddressNotFound, UserCouponNotFound],
)
def preview_order():
    """Answer what `POST /v1/order` with this body would order and cost now (the same
    `products` or `cart_item_ids`, `address_id` and `user_coupon_id`), each line with its
    problem, freight and discount, the caller's coupons usable on it (with what each takes
    off) or not (with why) and the best one, and whether it can be placed; nothing is
    reserved or written."""
    form = OrderPreviewForm().validate_or_raise()
    return orders.preview_order(
        current_user().id,
        form.value("products"),
        form.address_id.data,
        cart_item_ids=form.value("cart_item_ids"),
        user_coupon_id=form.user_coupon_id.data,
    )


@bp.get("")
@login_required
@doc("List my orders", query=OrderListForm, data=Page(OrderSummary))
def list_orders():
    """List the caller's orders, newest first."""
    form = OrderListForm().validate_or_raise()
    statement = orders.order_query(user_id=current_user().id, statuses=form.status.data)
    return paginate(statement, form)


@bp.get("/<int:id>")
@login_required
@doc("Get my order", data=OrderDetail, path=path_ids("id"), errors=[OrderNotFound])
def get_order(id):
    """Show one of the caller's orders."""
    return orders.get_user_order(current_user().id, id)


@bp.put("/<int:id>/cancel")
@login_required
@doc(
    "Cancel my unpaid order",
    data=OrderDetail,
    status=201,
    path=path_ids("id"),
    errors=[OrderNotFound, OrderStatusConflict],
)
def cancel_order(id):
    """Cancel the caller's unpaid order and release its stock."""
    user = current_user()
    return orders.cancel_order(id, "customer", user.id, user_id=user.id)


@bp.put("/<int:id>/receive")
@login_required
@doc(
    "Confirm receipt of my order",
    data=OrderDetail,
    status=201,
    path=path_ids("id"),
    errors=[OrderNotFound, OrderStatusConflict],
)
def receive_order(id):
    """Confirm the caller received a delivered order."""
    return orders.receive_order(current_user().id, id)
