"""Address: the caller's own address book."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import doc, path_ids
from app.core.exceptions import AddressLimitReached, AddressNotFound
from app.schemas.address import Address
from app.schemas.base import Items
from app.schemas.common import Id
from app.services import address as address_book
from app.validators.address import AddressCreateForm, AddressUpdateForm

bp = Blueprint("address", __name__, url_prefix="/address")


@bp.get("/all")
@login_required
@doc("My addresses", data=Items(Address))
def list_addresses():
    """List the caller's addresses, the default first."""
    return {"items": address_book.list_addresses(current_user().id)}


@bp.get("")
@login_required
@doc("My default address", data=Address, errors=[AddressNotFound])
def get_default_address():
    """Answer the caller's default address."""
    address = address_book.default_address(current_user().id)
    if address is None:
        raise AddressNotFound()
    return address


@bp.get("/<int:address_id>")
@login_required
@doc("One of my addresses", data=Address, path=path_ids("address_id"), errors=[AddressNotFound])
def get_address(address_id: int):
    """Answer one of the caller's addresses."""
    return address_book.get_own_address(current_user().id, address_id)


@bp.post("")
@login_required
@doc(
    "Add an address", body=AddressCreateForm, data=Address, status=201, errors=[AddressLimitReached]
)
def create_address():
    """Add an address to the caller's address book."""
    form = AddressCreateForm().validate_or_raise()
    return address_book.create_address(
        current_user().id, form.present() | {"country": form.country.data}, form.is_default.data
    )


@bp.put("/<int:address_id>")
@login_required
@doc(
    "Change an address",
    body=AddressUpdateForm,
    data=Address,
    status=201,
    path=path_ids("address_id"),
    errors=[AddressNotFound],
)
def update_address(address_id: int):
    """Change the fields sent of one of the caller's addresses."""
    form = AddressUpdateForm().validate_or_raise()
    return address_book.update_address(
        current_user().id, address_id, form.present(), form.is_default.data
    )


@bp.put("/<int:address_id>/default")
@login_required
@doc(
    "Make an address the default",
    data=Address,
    status=201,
    path=path_ids("address_id"),
    errors=[AddressNotFound],
)
def set_default_address(address_id: int):
    """Make one of the caller's addresses the default."""
    return address_book.set_default_address(current_user().id, address_id)


@bp.delete("/<int:address_id>")
@login_required
@doc(
    "Delete an address",
    data=Id,
    status=202,
    path=path_ids("address_id"),
    errors=[AddressNotFound],
)
def delete_address(address_id: int):
    """Delete one of the caller's addresses."""
    address_book.delete_address(current_user().id, address_id)
    return {"id": address_id}
