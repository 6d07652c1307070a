"""The amount model, case by case: goods, freight, coupon discount, what is paid and each line's
share, in the preview and in the order placed from the same body (API and database).

Every case asserts every amount field of both, and that the line shares plus freight add up
to pay_amount exactly.
"""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Order, OrderProduct, UserCoupon
from app.services.config_params import set_config_value
from tests.factories import (
    auth_headers,
    give_coupon,
    make_address,
    make_category,
    make_coupon,
    make_product,
)

D = Decimal

# name, freight (price, free_min), lines [(price, count, in_category)], coupon template
# fields (None: no coupon), expected (goods, freight, discount, pay, [line discounts])
CASES = [
    (
        "no coupon, freight below the threshold",
        ("8.00", "99.00"),
        [("50.00", 1, False)],
        None,
        ("50.00", "8.00", "0.00", "58.00", ["0.00"]),
    ),
    (
        "freight free at exactly the threshold",
        ("8.00", "99.00"),
        [("33.00", 3, False)],
        None,
        ("99.00", "0.00", "0.00", "99.00", ["0.00"]),
    ),
    (
        "freight one fen below the threshold",
        ("8.00", "99.00"),
        [("98.99", 1, False)],
        None,
        ("98.99", "8.00", "0.00", "106.99", ["0.00"]),
    ),
    (
        "free_min 0.00: always free",
        ("8.00", "0.00"),
        [("1.00", 1, False)],
        None,
        ("1.00", "0.00", "0.00", "1.00", ["0.00"]),
    ),
    (
        "full reduction over two lines, largest remainder",
        ("8.00", "99.00"),
        [("70.00", 1, False), ("50.00", 1, False)],
        {"type": 1, "min_amount": "100.00", "amount": "10.00"},
        ("120.00", "0.00", "10.00", "110.00", ["5.83", "4.17"]),
    ),
    (
        "full reduction at exactly its threshold, freight kept",
        ("8.00", "200.00"),
        [("100.00", 1, False)],
        {"type": 1, "min_amount": "100.00", "amount": "10.00"},
        ("100.00", "8.00", "10.00", "98.00", ["10.00"]),
    ),
    (
        "three equal lines: the odd fen goes to the first",
        ("8.00", "99.00"),
        [("10.00", 1, False), ("10.00", 1, False), ("10.00", 1, False)],
        {"type": 1, "min_amount": "30.00", "amount": "10.00"},
        ("30.00", "8.00", "10.00", "28.00", ["3.34", "3.33", "3.33"]),
    ),
    (
        "category scope: percent rounds half-up on the eligible line only",
        ("8.00", "99.00"),
        [("33.33", 1, True), ("20.00", 1, False)],
        {"type": 2, "min_amount": "0.00", "percent": 85, "scope": "category"},
        ("53.33", "8.00", "5.00", "56.33", ["5.00", "0.00"]),
    ),
    (
        "percent half a fen rounds up",
        ("8.00", "99.00"),
        [("0.10", 1, False)],
        {"type": 2, "min_amount": "0.00", "percent": 95},
        ("0.10", "8.00", "0.01", "8.09", ["0.01"]),
    ),
    (
        "percent capped by max_discount",
        ("8.00", "99.00"),
        [("100.00", 2, False)],
        {"type": 2, "min_amount": "100.00", "percent": 80, "max_discount": "15.00"},
        ("200.00", "0.00", "15.00", "185.00", ["15.00"]),
    ),
    (
        "percent under its cap",
        ("8.00", "99.00"),
        [("10.00", 5, False)],
        {"type": 2, "min_amount": "0.00", "percent": 90, "max_discount": "15.00"},
        ("50.00", "8.00", "5.00", "53.00", ["5.00"]),
    ),
    (
        "no threshold, never more than the eligible amount; freight stays",
        ("8.00", "99.00"),
        [("3.00", 1, False)],
        {"type": 3, "amount": "5.00"},
        ("3.00", "8.00", "3.00", "8.00", ["3.00"]),
    ),
    (
        "no threshold covering the whole order: it pays 0.01",
        ("8.00", "0.00"),
        [("3.00", 1, False)],
        {"type": 3, "amount": "5.00"},
        ("3.00", "0.00", "2.99", "0.01", ["2.99"]),
    ),
    (
        "the 0.01 floor over two lines",
        ("0.00", "0.00"),
        [("1.00", 1, False), ("1.00", 1, False)],
        {"type": 3, "amount": "50.00"},
        ("2.00", "0.00", "1.99", "0.01", ["1.00", "0.99"]),
    ),
    (
        "product scope: only that product's lines share",
        ("8.00", "99.00"),
        [("40.00", 1, True), ("60.00", 1, False)],
        {"type": 1, "min_amount": "40.00", "amount": "7.00", "scope": "product"},
        ("100.00", "0.00", "7.00", "93.00", ["7.00", "0.00"]),
    ),
    (
        "three uneven lines",
        ("0.00", "0.00"),
        [("0.07", 3, False), ("19.99", 1, False), ("5.55", 2, False)],
        {"type": 2, "min_amount": "0.00", "percent": 67},
        ("31.30", "0.00", "10.33", "20.97", ["0.07", "6.60", "3.66"]),
    ),
]


def _setup(freight, lines, template):
    set_config_value("shop.freight.price", freight[0])
    set_config_value("shop.freight.free_min", freight[1])
    category = make_category()
    products = [
        make_product(price=price, stock=50, category=category if flagged else None)
        for price, _, flagged in lines
    ]
    if template is None:
        return products, None
    fields = dict(template)
    if fields.get("scope") == "category":
        fields["category_ids"] = [category.id]
    if fields.get("scope") == "product":
        fields["product_ids"] = [p.id for p, line in zip(products, lines, strict=True) if line[2]]
    fields.setdefault("min_amount", "0.00")
    if fields["type"] == 2:
        fields["amount"] = None
    return products, make_coupon(**fields)


@pytest.mark.parametrize(
    "name,freight,lines,template,expected", CASES, ids=[case[0] for case in CASES]
)
def test_amounts_of_preview_and_placed_order(
    client, customer, name, freight, lines, template, expected
):
    make_address(customer)
    headers = auth_headers(customer)
    products, coupon = _setup(freight, lines, template)
    held = give_coupon(customer, coupon) if coupon else None
    body = {
        "products": [
            {"product_id": product.id, "count": line[1]}
            for product, line in zip(products, lines, strict=True)
        ]
    }
    if held:
        body["user_coupon_id"] = held.id
    goods, freight_amount, discount, pay, line_discounts = expected
    totals = [D(price) * count for price, count, _ in lines]
    shares = [str(total - D(off)) for total, off in zip(totals, line_discounts, strict=True)]

    preview = client.post("/v1/order/preview", json=body, headers=headers).get_json()["data"]
    assert preview["can_place"] is True, preview["problem"]
    assert (
        preview["goods_amount"],
        preview["freight_amount"],
        preview["coupon_discount"],
        preview["pay_amount"],
        preview["total_price"],
    ) == (goods, freight_amount, discount, pay, pay)
    assert [line["discount"] for line in preview["lines"]] == line_discounts
    assert [line["pay_amount"] for line in preview["lines"]] == [f"{D(s):.2f}" for s in shares]
    assert preview["user_coupon_id"] == (held.id if held else None)
    if held:
        assert preview["coupon"]["discount"] == discount and preview["coupon"]["usable"]
        assert preview["best_user_coupon_id"] == held.id
        assert [offer["user_coupon_id"] for offer in preview["usable_coupons"]] == [held.id]
    else:
        assert preview["coupon"] is None and preview["usable_coupons"] == []

    placed = client.post("/v1/order", json=body, headers=headers)
    assert placed.status_code == 201, placed.get_json()
    assert placed.get_json()["data"]["total_price"] == pay
    order_id = placed.get_json()["data"]["order_id"]
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    assert (
        order.goods_amount,
        order.freight_amount,
        order.coupon_discount,
        order.pay_amount,
        order.total_price,
    ) == (D(goods), D(freight_amount), D(discount), D(pay), D(pay))
    assert order.goods_amount + order.freight_amount - order.coupon_discount == order.pay_amount
    assert order.user_coupon_id == (held.id if held else None)
    stored = db.session.scalars(
        select(OrderProduct.pay_amount).where(OrderProduct.order_id == order_id)
    ).all()
    assert sorted(stored) == sorted(D(s) for s in shares)
    assert sum(stored) + order.freight_amount == order.pay_amount
    detail = client.get(f"/v1/order/{order_id}", headers=headers).get_json()["data"]
    assert (detail["freight_amount"], detail["coupon_discount"], detail["pay_amount"]) == (
        freight_amount,
        discount,
        pay,
    )
    if held:
        assert detail["coupon"] == {
            "user_coupon_id": held.id,
            "coupon_id": coupon.id,
            "name": coupon.name,
            "discount": discount,
        }
        assert db.session.get(UserCoupon, held.id).status == 2
        assert db.session.get(UserCoupon, held.id).order_id == order_id
    else:
        assert detail["coupon"] is None
