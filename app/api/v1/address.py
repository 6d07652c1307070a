"""Address: the caller's own address book."""

from flask import Blueprint

from app.api.resource import Resource, caller_id
from app.core.auth import login_required
from app.core.exceptions import AddressLimitReached, AddressNotFound
from app.schemas.address import Address
from app.schemas.base import Items
from app.services import address as address_book
from app.validators.address import AddressCreateForm, AddressUpdateForm

bp = Blueprint("address", __name__, url_prefix="/address")


def _default_address():
    address = address_book.default_address(caller_id())
    if address is None:
        raise AddressNotFound()
    return address


def _create(form):
    fields = form.present() | {"country": form.country.data}
    return address_book.create_address(caller_id(), fields, form.is_default.data)


def _update(address_id, form):
    return address_book.update_address(
        caller_id(), address_id, form.present(), form.is_default.data
    )


addresses = Resource(bp, shape=Address, missing=[AddressNotFound], key="address_id")
addresses.view(
    "GET",
    "/all",
    "list_addresses",
    login_required,
    "My addresses",
    "List the caller's addresses, the default first.",
    lambda: {"items": address_book.list_addresses(caller_id())},
    data=Items(Address),
)
addresses.view(
    "GET",
    "",
    "get_default_address",
    login_required,
    "My default address",
    "Answer the caller's default address.",
    _default_address,
    data=Address,
    errors=[AddressNotFound],
)
addresses.get(
    "get_address",
    login_required,
    "One of my addresses",
    "Answer one of the caller's addresses.",
    lambda address_id: address_book.get_own_address(caller_id(), address_id),
)
addresses.view(
    "POST",
    "",
    "create_address",
    login_required,
    "Add an address",
    "Add an address to the caller's address book.",
    _create,
    body=AddressCreateForm,
    data=Address,
    errors=[AddressLimitReached],
)
addresses.view(
    "PUT",
    addresses.one,
    "update_address",
    login_required,
    "Change an address",
    "Change the fields sent of one of the caller's addresses.",
    _update,
    body=AddressUpdateForm,
    data=Address,
    errors=[AddressNotFound],
)
addresses.view(
    "PUT",
    addresses.one + "/default",
    "set_default_address",
    login_required,
    "Make an address the default",
    "Make one of the caller's addresses the default.",
    lambda address_id: address_book.set_default_address(caller_id(), address_id),
    data=Address,
    errors=[AddressNotFound],
)
addresses.delete(
    "delete_address",
    login_required,
    "Delete an address",
    "Delete one of the caller's addresses.",
    lambda address_id: address_book.delete_address(caller_id(), address_id),
)
