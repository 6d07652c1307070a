"""Cart: the caller's lines, one per SKU, kept for a later order."""

from flask import Blueprint

from app.api.resource import Resource, caller_id
from app.core.auth import login_required
from app.core.docs import answer
from app.core.exceptions import (
    CartFull,
    CartItemNotFound,
    CartItemUnavailable,
    CartSkuNotFound,
    CartSkuRequired,
    ProductNotFound,
)
from app.schemas.cart import Cart, CartChange, CartCount
from app.services import cart
from app.validators.cart import CartAddForm, CartCheckForm, CartUpdateForm

bp = Blueprint("cart", __name__, url_prefix="/cart")


def _answer(change: cart.CartChange):
    return answer(change, msg=change.message) if change.message else change


lines = Resource(bp, shape=CartChange, missing=[CartItemNotFound], key="item_id")
lines.view(
    "GET",
    "",
    "get_cart",
    login_required,
    "My cart",
    "List the caller's cart lines, newest first, with the totals of the checked valid lines.",
    lambda: cart.cart_view(caller_id()),
    data=Cart,
)
lines.view(
    "GET",
    "/count",
    "count_cart",
    login_required,
    "My cart's badge number",
    "Answer the units in the caller's cart (the sum of every line's count).",
    lambda: {"count": cart.count_units(caller_id())},
    data=CartCount,
)
lines.view(
    "POST",
    "",
    "add_to_cart",
    login_required,
    "Add to my cart",
    "Add units of a SKU, merged into its line; a capped count is said in `msg` and `capped`.",
    lambda form: _answer(
        cart.add_line(caller_id(), form.product_id.data, form.sku_id.data, form.count.data)
    ),
    body=CartAddForm,
    errors=[ProductNotFound, CartSkuRequired, CartSkuNotFound, CartItemUnavailable, CartFull],
)
lines.view(
    "PUT",
    "/check",
    "check_cart_lines",
    login_required,
    "Check or uncheck cart lines",
    "Check or uncheck the lines listed (all must be the caller's), or every line.",
    lambda form: cart.set_checked(caller_id(), form.value("ids"), form.checked.data),
    body=CartCheckForm,
    data=Cart,
    errors=[CartItemNotFound],
)
lines.update(
    "update_cart_line",
    login_required,
    "Change a cart line",
    "Change the count and/or the check mark of one of the caller's lines.",
    CartUpdateForm,
    lambda item_id, fields: _answer(cart.update_line(caller_id(), item_id, fields)),
    errors=[CartItemNotFound, CartItemUnavailable],
)
lines.delete_many(
    "delete_cart_lines",
    login_required,
    "Delete cart lines",
    "Delete one line or a comma list of them; all must be the caller's, or none goes.",
    lambda ids: cart.delete_lines(caller_id(), ids),
    field_errors=True,
)
