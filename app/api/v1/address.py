"""Address: the caller's own address book."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import BOOL, ID, INT, STR, TIME, doc, items_of, obj, path_ids
from app.core.exceptions import AddressNotFound
from app.core.response import created, deleted, ok
from app.services import address as address_book
from app.validators.address import AddressCreateForm, AddressUpdateForm

bp = Blueprint("address", __name__, url_prefix="/address")

ADDRESS = obj(
    ["id", "name", "mobile", "province", "city", "country", "detail", "is_default"],
    id=INT,
    name=STR,
    mobile=STR,
    province=STR,
    city=STR,
    country=STR,
    detail=STR,
    is_default=BOOL,
    create_time=TIME,
    update_time=TIME,
)


@bp.get("/all")
@login_required
@doc("My addresses", data=items_of(ADDRESS))
def list_addresses():
    """List the caller's addresses, the default first."""
    rows = address_book.list_addresses(current_user().id)
    return ok({"items": [row.to_dict() for row in rows]})


@bp.get("")
@login_required
@doc("My default address", data=ADDRESS)
def get_default_address():
    """Answer the caller's default address."""
    address = address_book.default_address(current_user().id)
    if address is None:
        raise AddressNotFound()
    return ok(address.to_dict())


@bp.get("/<int:address_id>")
@login_required
@doc("One of my addresses", data=ADDRESS, path=path_ids("address_id"))
def get_address(address_id: int):
    """Answer one of the caller's addresses."""
    return ok(address_book.get_own_address(current_user().id, address_id).to_dict())


@bp.post("")
@login_required
@doc("Add an address", body=AddressCreateForm, data=ADDRESS, status=201)
def create_address():
    """Add an address to the caller's address book."""
    form = AddressCreateForm().validate_or_raise()
    address = address_book.create_address(
        current_user().id, form.present() | {"country": form.country.data}, form.is_default.data
    )
    return created(address.to_dict())


@bp.put("/<int:address_id>")
@login_required
@doc(
    "Change an address",
    body=AddressUpdateForm,
    data=ADDRESS,
    status=201,
    path=path_ids("address_id"),
)
def update_address(address_id: int):
    """Change the fields sent of one of the caller's addresses."""
    form = AddressUpdateForm().validate_or_raise()
    address = address_book.update_address(
        current_user().id, address_id, form.present(), form.is_default.data
    )
    return created(address.to_dict())


@bp.put("/<int:address_id>/default")
@login_required
@doc("Make an address the default", data=ADDRESS, status=201, path=path_ids("address_id"))
def set_default_address(address_id: int):
    """Make one of the caller's addresses the default."""
    return created(address_book.set_default_address(current_user().id, address_id).to_dict())


@bp.delete("/<int:address_id>")
@login_required
@doc("Delete an address", data=ID, status=202, path=path_ids("address_id"))
def delete_address(address_id: int):
    """Delete one of the caller's addresses."""
    address_book.delete_address(current_user().id, address_id)
    return deleted({"id": address_id})
