"""The cart service: constant statements per request, the checkout helpers, concurrent adds."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core.exceptions import CartItemNotFound
from app.extensions import db
from app.models import CartItem, Product
from app.models.base import now
from app.services import cart
from tests.factories import (
    auth_headers,
    make_cart_line,
    make_image,
    make_product,
    make_user,
    skus_of,
    spoil_sku,
)
from tests.helpers import count_statements, errors_of, needs_mariadb, run_parallel, statements_of


def _sku(price="9.90", stock=100, **product_fields):
    return skus_of(make_product(price=price, stock=stock, **product_fields))[0]


# ------------------------------------------------------------ statement counts


def _fill(user, lines: int) -> None:
    """`lines` lines with images, of every kind (factories.spoil_sku)."""
    for n in range(lines):
        make_cart_line(user, spoil_sku(_sku(main_img_id=make_image().id), n), count=2)


@pytest.mark.parametrize("path", ["/v1/cart", "/v1/cart/count"])
def test_cart_read_statement_count_does_not_grow_with_lines(client, path):
    few_user, many_user = make_user(), make_user()
    _fill(few_user, 2)
    _fill(many_user, 20)
    few_count, few = statements_of(client, path, auth_headers(few_user))
    many_count, many = statements_of(client, path, auth_headers(many_user))
    assert few_count == many_count
    assert few_count <= 2  # the caller's user row, then the cart
    if path == "/v1/cart":
        assert (len(few["items"]), len(many["items"])) == (2, 20)
        reasons = {item["invalid_reason"] for item in many["items"]}
        assert reasons == {None, "deleted", "off_sale", "short_of_stock"}
    else:
        assert (few, many) == ({"count": 4}, {"count": 40})


def test_cart_write_statement_count_does_not_grow_with_lines(client):
    counts = []
    for lines in (2, 20):
        user = make_user()
        _fill(user, lines)
        sku = _sku()
        headers = auth_headers(user)
        db.session.expire_all()
        with count_statements() as log:
            response = client.post(
                "/v1/cart", json={"product_id": sku.product_id, "count": 1}, headers=headers
            )
        assert response.status_code == 201, response.get_json()
        counts.append(log.count)
    assert counts[0] == counts[1]


# ------------------------------------------------------------------- checkout


def test_cart_lines_for_checkout_answers_the_lines_with_sku_product_and_count(customer):
    deleted = _sku(price="3.00", name="下架了")
    db.session.get(Product, deleted.product_id).delete_time = now()
    db.session.commit()
    good = _sku(price="2.50", name="好的")
    first = make_cart_line(customer, good, count=2).id
    second = make_cart_line(customer, deleted, count=1).id
    db.session.expire_all()

    lines = cart.cart_lines_for_checkout(customer.id, [second, first])

    assert [(line.id, line.count, line.sku.id, line.product.name) for line in lines] == [
        (second, 1, deleted.id, "下架了"),
        (first, 2, good.id, "好的"),
    ]
    assert [line.invalid_reason for line in lines] == ["deleted", None]
    assert lines[1].sku.price == Decimal("2.50")
    db.session.rollback()


def test_cart_lines_for_checkout_other_users_line_is_404(customer, other_customer):
    mine = make_cart_line(customer).id
    theirs = make_cart_line(other_customer).id
    with pytest.raises(CartItemNotFound) as raised:
        cart.cart_lines_for_checkout(customer.id, [mine, theirs])
    assert raised.value.detail == {"ids": [theirs]}


def test_remove_lines_belongs_to_the_callers_transaction(customer, other_customer):
    mine = make_cart_line(customer).id
    theirs = make_cart_line(other_customer).id
    cart.cart_lines_for_checkout(customer.id, [mine])
    cart.remove_lines(customer.id, [mine, theirs])  # owner-scoped: theirs is not touched
    db.session.rollback()  # a failed placement
    assert sorted(db.session.scalars(select(CartItem.id))) == sorted([mine, theirs])
    cart.remove_lines(customer.id, [mine, theirs])
    db.session.commit()  # a placed order
    assert db.session.scalars(select(CartItem.id)).all() == [theirs]


# ---------------------------------------------------------------- concurrency


def _concurrent_adds(app, user_id, product_id, count, times):
    def add():
        return cart.add_line(user_id, product_id, None, count)

    return errors_of(run_parallel(app, [add] * times))


@needs_mariadb
@pytest.mark.parametrize("count,expected", [(3, 30), (12, 99)], ids=["summed", "capped"])
def test_concurrent_adds_of_one_sku_leave_one_line_with_the_summed_count(
    app, customer, count, expected
):
    sku = _sku(stock=1000)
    user_id, product_id, sku_id = customer.id, sku.product_id, sku.id
    db.session.remove()

    errors = _concurrent_adds(app, user_id, product_id, count, 10)

    assert errors == []
    rows = db.session.execute(
        select(CartItem.sku_id, CartItem.count).where(CartItem.user_id == user_id)
    ).all()
    assert rows == [(sku_id, expected)]
