"""Order: the caller's own orders."""

import re

from flask import Blueprint, jsonify, request

from app.core.auth import current_user, login_required
from app.core.docs import (
    BOOL,
    INT,
    MONEY,
    OPT_TIME,
    STR,
    TIME,
    arr,
    doc,
    nullable,
    obj,
    page_of,
    path_ids,
)
from app.core.exceptions import ParameterException
from app.core.forms import json_body
from app.core.limits import limit_order
from app.core.pagination import paginate
from app.core.response import created, ok
from app.services import orders
from app.validators.order import OrderCreateForm, OrderListForm

bp = Blueprint("order", __name__, url_prefix="/order")

ORDER_SUMMARY_FIELDS = dict(
    id=INT,
    order_no=STR,
    user_id=INT,
    order_status=INT,
    snap_name=STR,
    snap_img=STR,
    total_count=INT,
    total_price=MONEY,
    create_time=TIME,
    expire_time=TIME,
    pay_time=OPT_TIME,
)
ORDER_SUMMARY = obj(list(ORDER_SUMMARY_FIELDS), **ORDER_SUMMARY_FIELDS)
SNAP_ITEM = obj(
    ["id", "name", "price", "count", "total_price", "main_image"],
    id=INT,
    name=STR,
    price=MONEY,
    count=INT,
    total_price=MONEY,
    main_image=STR,
)
SNAP_ADDRESS = obj(
    ["name", "mobile", "province", "city", "country", "detail"],
    name=STR,
    mobile=STR,
    province=STR,
    city=STR,
    country=STR,
    detail=STR,
)
ORDER_DETAIL_FIELDS = dict(
    ORDER_SUMMARY_FIELDS,
    snap_items=arr(SNAP_ITEM),
    snap_address=SNAP_ADDRESS,
    remark=STR,
    cancel_time=OPT_TIME,
    delivery_time=OPT_TIME,
    receive_time=OPT_TIME,
    carrier=nullable(STR),
    tracking_no=nullable(STR),
    update_time=TIME,
)
ORDER_DETAIL = obj(list(ORDER_DETAIL_FIELDS), **ORDER_DETAIL_FIELDS)
PLACED = obj(
    ["order_id", "order_no", "create_time", "expire_time", "total_price", "total_count", "pass"],
    order_id=INT,
    order_no=STR,
    create_time=INT,
    expire_time=INT,
    total_price=MONEY,
    total_count=INT,
    **{"pass": BOOL},
)
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _placed(order) -> dict:
    return {
        "order_id": order.id,
        "order_no": order.order_no,
        "create_time": order.create_time,
        "expire_time": order.expire_time,
        "total_price": order.to_summary()["total_price"],
        "total_count": order.total_count,
        "pass": True,
    }


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ParameterException("Idempotency-Key: use 1 to 64 characters of A-Z a-z 0-9 _ -")
    return key


@bp.post("")
@login_required
@limit_order
@doc("Place an order", body=OrderCreateForm, data=PLACED, status=201)
def create_order():
    """Place an order, reserving stock (optionally idempotent)."""
    user = current_user()
    key = _idempotency_key()
    if key is not None:
        digest = orders.request_hash(request.method, request.path, json_body())
        stored = orders.claim_idempotency_key(user.id, key, digest)
        if stored is not None:
            response = jsonify(stored[1])
            response.status_code = stored[0]
            return response
    try:
        form = OrderCreateForm().validate_or_raise()
        order = orders.place_order(
            user.id, form.products.data, form.address_id.data, form.remark.data or ""
        )
    except Exception:
        if key is not None:
            orders.release_idempotency_key(user.id, key)
        raise
    response = created(_placed(order))
    if key is not None:
        orders.finish_idempotency_key(user.id, key, response.status_code, response.get_json())
    return response


@bp.get("")
@login_required
@doc("List my orders", query=OrderListForm, data=page_of(ORDER_SUMMARY))
def list_orders():
    """List the caller's orders, newest first."""
    form = OrderListForm().validate_or_raise()
    statement = orders.order_query(user_id=current_user().id, statuses=form.status.data)
    return ok(paginate(statement, form, lambda order: order.to_summary()))


@bp.get("/<int:id>")
@login_required
@doc("Get my order", data=ORDER_DETAIL, path=path_ids("id"))
def get_order(id):
    """Show one of the caller's orders."""
    return ok(orders.get_user_order(current_user().id, id).to_detail())


@bp.put("/<int:id>/cancel")
@login_required
@doc("Cancel my unpaid order", data=ORDER_DETAIL, status=201, path=path_ids("id"))
def cancel_order(id):
    """Cancel the caller's unpaid order and release its stock."""
    user = current_user()
    return created(orders.cancel_order(id, "customer", user.id, user_id=user.id).to_detail())


@bp.put("/<int:id>/receive")
@login_required
@doc("Confirm receipt of my order", data=ORDER_DETAIL, status=201, path=path_ids("id"))
def receive_order(id):
    """Confirm the caller received a delivered order."""
    return created(orders.receive_order(current_user().id, id).to_detail())
