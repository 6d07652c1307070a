"""Cart: the caller's lines, one per SKU, kept for a later order."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import answer, doc, path_id_list, path_ids
from app.core.exceptions import (
    CartFull,
    CartItemNotFound,
    CartItemUnavailable,
    CartSkuNotFound,
    CartSkuRequired,
    ParameterException,
    ProductNotFound,
)
from app.core.forms import parse_id_list
from app.schemas.cart import Cart, CartChange, CartCount
from app.schemas.common import Ids
from app.services import cart
from app.validators.cart import CartAddForm, CartCheckForm, CartUpdateForm

bp = Blueprint("cart", __name__, url_prefix="/cart")


def _answer(change: cart.CartChange):
    return answer(change, msg=change.message) if change.message else change


@bp.get("")
@login_required
@doc("My cart", data=Cart)
def get_cart():
    """List the caller's cart lines, newest first, with the totals of the checked valid lines."""
    return cart.cart_view(current_user().id)


@bp.get("/count")
@login_required
@doc("My cart's badge number", data=CartCount)
def count_cart():
    """Answer the units in the caller's cart (the sum of every line's count)."""
    return {"count": cart.count_units(current_user().id)}


@bp.post("")
@login_required
@doc(
    "Add to my cart",
    body=CartAddForm,
    data=CartChange,
    status=201,
    errors=[ProductNotFound, CartSkuRequired, CartSkuNotFound, CartItemUnavailable, CartFull],
)
def add_to_cart():
    """Add units of a SKU, merged into its line; a capped count is said in `msg` and `capped`."""
    form = CartAddForm().validate_or_raise()
    change = cart.add_line(
        current_user().id, form.product_id.data, form.sku_id.data, form.count.data
    )
    return _answer(change)


@bp.put("/check")
@login_required
@doc(
    "Check or uncheck cart lines",
    body=CartCheckForm,
    data=Cart,
    status=201,
    errors=[CartItemNotFound],
)
def check_cart_lines():
    """Check or uncheck the lines listed (all must be the caller's), or every line."""
    form = CartCheckForm().validate_or_raise()
    return cart.set_checked(current_user().id, form.value("ids"), form.checked.data)


@bp.put("/<int:item_id>")
@login_required
@doc(
    "Change a cart line",
    body=CartUpdateForm,
    data=CartChange,
    status=201,
    path=path_ids("item_id"),
    errors=[CartItemNotFound, CartItemUnavailable],
)
def update_cart_line(item_id: int):
    """Change the count and/or the check mark of one of the caller's lines."""
    form = CartUpdateForm().validate_or_raise()
    return _answer(cart.update_line(current_user().id, item_id, form.present()))


@bp.delete("/<ids>")
@login_required
@doc(
    "Delete cart lines",
    data=Ids,
    status=202,
    path=path_id_list("ids"),
    errors=[CartItemNotFound],
)
def delete_cart_lines(ids: str):
    """Delete one line or a comma list of them; all must be the caller's, or none goes."""
    try:
        id_list = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}", errors={"ids": [str(error)]}) from None
    return {"ids": cart.delete_lines(current_user().id, id_list)}
