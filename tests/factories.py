"""Rows for tests, with sensible defaults. Every factory commits and answers the row."""

import itertools
from decimal import Decimal

from app.core.auth import issue_access_token
from app.extensions import db
from app.models import (
    Address,
    Auth,
    Category,
    Group,
    Image,
    Permission,
    Product,
    User,
)

_seq = itertools.count(1)
PASSWORD = "correct-horse-42"


def _commit(row):
    db.session.add(row)
    db.session.commit()
    return row


def make_user(
    *, email=None, password=PASSWORD, nickname=None, auth=1, group=None, active=True, **fields
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.com",
        nickname=nickname or f"user{n}",
        auth=auth,
        group_id=group.id if group else None,
        active=active,
        **fields,
    )
    if password:
        user.set_password(password)
    return _commit(user)


def make_group(*permissions: tuple[str, str], name=None) -> Group:
    """A group holding the (module, name) permissions given."""
    group = _commit(Group(name=name or f"group{next(_seq)}", info=""))
    for module, perm_name in permissions:
        permission = db.session.query(Permission).filter_by(module=module, name=perm_name).one()
        db.session.add(Auth(group_id=group.id, permission_id=permission.id))
    db.session.commit()
    return group


def make_staff(*permissions: tuple[str, str], **fields) -> User:
    return make_user(group=make_group(*permissions), **fields)


def token_for(user: User, client_type: int = 101) -> str:
    return issue_access_token(user, client_type)


def auth_headers(user: User, client_type: int = 101) -> dict:
    return {"Authorization": f"Bearer {token_for(user, client_type)}"}


def make_address(user: User, **fields) -> Address:
    values = {
        "name": "张三",
        "mobile": "13800138000",
        "province": "浙江",
        "city": "杭州",
        "country": "西湖",
        "detail": "文三路1号",
        "is_default": True,
    }
    values.update(fields)
    return _commit(Address(user_id=user.id, **values))


def make_image(url=None, source=1) -> Image:
    return _commit(Image(url=url or f"/img-{next(_seq)}.png", source=source))


def make_category(name=None, **fields) -> Category:
    return _commit(Category(name=name or f"category{next(_seq)}", **fields))


def make_product(
    *, name=None, price="9.90", stock=100, category=None, on_sale=True, **fields
) -> Product:
    return _commit(
        Product(
            name=name or f"product{next(_seq)}",
            price=Decimal(price),
            stock=stock,
            category_id=category.id if category else None,
            on_sale=on_sale,
            **fields,
        )
    )
