"""The address book: owner-scoped reads and writes that keep exactly one default address.

Every query names the owner in its WHERE clause. Writes lock the owner's user row first, so two
concurrent changes of one address book cannot both become the default or pass the size cap.
"""

from flask import current_app
from sqlalchemy import func, select, update

from app.core.exceptions import AddressLimitReached, AddressNotFound
from app.extensions import db
from app.models import Address, User
from app.models.base import now

ADDRESS_FIELDS = ("name", "mobile", "province", "city", "country", "detail")


def _own(user_id: int):
    return select(Address).where(Address.user_id == user_id)


def list_addresses(user_id: int) -> list[Address]:
    """The user's addresses: the default first, then the most recently updated."""
    return list(
        db.session.scalars(
            _own(user_id).order_by(
                Address.is_default.desc(), Address.update_time.desc(), Address.id.desc()
            )
        )
    )


def default_address(user_id: int) -> Address | None:
    """The user's default address, or None when the address book is empty."""
    return db.session.scalar(
        _own(user_id).where(Address.is_default.is_(True)).order_by(Address.id).limit(1)
    )


def get_own_address(user_id: int, address_id: int) -> Address:
    """One of the user's own addresses; anyone else's id is 404 / 60010."""
    address = db.session.scalar(_own(user_id).where(Address.id == address_id))
    if address is None:
        raise AddressNotFound()
    return address


def _lock_owner(user_id: int) -> None:
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def _make_default(address: Address) -> None:
    db.session.execute(
        update(Address)
        .where(
            Address.user_id == address.user_id,
            Address.id != address.id,
            Address.is_default.is_(True),
            Address.delete_time.is_(None),
        )
        .values(is_default=False, update_time=now())
    )
    address.is_default = True


def create_address(user_id: int, fields: dict, make_default: bool = False) -> Address:
    _lock_owner(user_id)
    count = db.session.scalar(
        select(func.count(Address.id)).where(
            Address.user_id == user_id, Address.delete_time.is_(None)
        )
    )
    if count >= current_app.config["ADDRESS_MAX"]:
        raise AddressLimitReached()
    # Decided before the insert, so a new row's update_time equals its create_time.
    address = Address(user_id=user_id, is_default=make_default or count == 0, **_writable(fields))
    db.session.add(address)
    db.session.flush()
    if address.is_default:
        _make_default(address)
    db.session.commit()
    return address


def _locked_own(user_id: int, address_id: int) -> Address:
    """One of the user's addresses, with the user's address book locked."""
    _lock_owner(user_id)
    return get_own_address(user_id, address_id)


def update_address(user_id: int, address_id: int, fields: dict, make_default: bool) -> Address:
    """Change the listed fields; `make_default` False never clears the current default."""
    address = _locked_own(user_id, address_id)
    for field, value in _writable(fields).items():
        setattr(address, field, value)
    if make_default:
        _make_default(address)
    db.session.commit()
    return address


def set_default_address(user_id: int, address_id: int) -> Address:
    address = _locked_own(user_id, address_id)
    _make_default(address)
    db.session.commit()
    return address


def delete_address(user_id: int, address_id: int) -> None:
    """Soft-delete; a deleted default passes to the most recently updated remaining address."""
    address = _locked_own(user_id, address_id)
    address.soft_delete()
    if address.is_default:
        successor = db.session.scalar(
            _own(user_id).order_by(Address.update_time.desc(), Address.id.desc()).limit(1)
        )
        if successor is not None:
            successor.is_default = True
    db.session.commit()


def _writable(fields: dict) -> dict:
    return {field: fields[field] for field in ADDRESS_FIELDS if field in fields}
