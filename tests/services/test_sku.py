"""SKUs: derived product price and stock, per-SKU reservation, release once, sales."""

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.core.exceptions import OutOfStock, SkuNotFound, SkuRequired, StockBelowZero
from app.extensions import db
from app.models import Order, OrderProduct, OrderStatus, Product, Sku
from app.services import catalog, orders
from app.services import sku as sku_service
from tests.factories import make_address, make_product, make_sku_product, pay_order, skus_of

S = OrderStatus


def _product(product_id):
    db.session.expire_all()
    return db.session.get(Product, product_id)


def _place(user, product, *lines):
    """Place an order of (sku, count) lines of `product`; a None sku sends no sku_id."""
    return orders.place_order(
        user.id,
        [
            {"product_id": product.id, **({"sku_id": sku.id} if sku else {}), "count": count}
            for sku, count in lines
        ],
    )


def _stock(product):
    """The stock of each SKU and the product's (their on-sale sum)."""
    return [sku.stock for sku in skus_of(product)], _product(product.id).stock


@pytest.fixture
def buyer(customer):
    make_address(customer)
    return customer


@pytest.fixture
def shirt():
    return make_sku_product(
        skus=[
            ({"颜色": "红", "尺码": "M"}, "19.90", 2),
            ({"颜色": "红", "尺码": "L"}, "21.00", 3),
            ({"颜色": "蓝", "尺码": "M"}, "18.50", 4),
            ({"颜色": "蓝", "尺码": "L"}, "25.00", 0),
        ]
    )


def test_product_price_is_lowest_on_sale_sku_and_stock_their_sum(shirt):
    product = _product(shirt.id)
    assert product.price == Decimal("18.50") and product.stock == 9
    cheapest = skus_of(shirt)[2]
    catalog.adjust_sku_stock(cheapest.id, stock=10)
    db.session.execute(update(Sku).where(Sku.id == cheapest.id).values(on_sale=False))
    sku_service.sync_product(shirt.id)
    db.session.commit()
    product = _product(shirt.id)
    assert product.price == Decimal("19.90") and product.stock == 5


def test_place_order_reserves_the_sku_and_snapshots_its_spec(buyer, shirt):
    red_l = skus_of(shirt)[1]
    order = _place(buyer, shirt, (red_l, 2))
    assert _stock(shirt) == ([2, 1, 4, 0], 7)
    item = order.snap_items[0]
    assert (item["sku_id"], item["spec"], item["price"], item["total_price"]) == (
        red_l.id,
        "颜色:红;尺码:L",
        "21.00",
        "42.00",
    )
    line = db.session.scalar(select(OrderProduct).where(OrderProduct.order_id == order.id))
    assert (line.sku_id, line.spec, line.price) == (red_l.id, "颜色:红;尺码:L", Decimal("21.00"))
    assert order.total_price == Decimal("42.00")


def test_two_skus_of_one_product_are_two_lines(buyer, shirt):
    red_m, red_l = skus_of(shirt)[:2]
    order = _place(buyer, shirt, (red_l, 1), (red_m, 2), (red_l, 1))
    assert [(i["sku_id"], i["count"]) for i in order.snap_items] == [(red_l.id, 2), (red_m.id, 2)]
    assert order.snap_name == shirt.name and order.total_count == 4
    assert [sku.stock for sku in skus_of(shirt)] == [0, 1, 4, 0]


def test_sku_id_is_required_for_a_product_with_several_skus(buyer, shirt):
    with pytest.raises(SkuRequired) as caught:
        _place(buyer, shirt, (None, 1))
    assert caught.value.detail == {"product_ids": [shirt.id]}
    assert db.session.query(Order).count() == 0


def test_sku_of_another_product_or_off_sale_answers_sku_not_found(buyer, shirt):
    other = make_product()
    foreign = skus_of(other)[0]
    with pytest.raises(SkuNotFound):
        _place(buyer, shirt, (foreign, 1))
    red_m = skus_of(shirt)[0]
    db.session.execute(update(Sku).where(Sku.id == red_m.id).values(on_sale=False))
    db.session.commit()
    with pytest.raises(SkuNotFound):
        _place(buyer, shirt, (red_m, 1))


def test_one_sku_product_needs_no_sku_id(buyer):
    product = make_product(stock=5)
    order = _place(buyer, product, (None, 2))
    assert order.snap_items[0]["sku_id"] == skus_of(product)[0].id
    assert order.snap_items[0]["spec"] == ""
    assert _stock(product) == ([3], 3)


def test_short_sku_answers_out_of_stock_and_takes_nothing(buyer, shirt):
    red_m, red_l, blue_m, _ = skus_of(shirt)
    with pytest.raises(OutOfStock) as caught:
        _place(buyer, shirt, (blue_m, 1), (red_m, 3))
    status = caught.value.detail["p_status_array"]
    assert [(s["sku_id"], s["spec"], s["has_stock"]) for s in status] == [
        (blue_m.id, "颜色:蓝;尺码:M", True),
        (red_m.id, "颜色:红;尺码:M", False),
    ]
    assert _stock(shirt) == ([2, 3, 4, 0], 9)


def test_cancel_returns_units_to_the_sku_once(buyer, shirt):
    red_l = skus_of(shirt)[1]
    order = _place(buyer, shirt, (red_l, 3))
    orders.cancel_order(order.id, "customer", buyer.id, user_id=buyer.id)
    assert orders.release_stock(order.id) is False
    db.session.commit()
    assert _stock(shirt) == ([2, 3, 4, 0], 9)


def test_release_to_an_off_sale_sku_leaves_the_product_stock(buyer, shirt):
    red_l = skus_of(shirt)[1]
    order = _place(buyer, shirt, (red_l, 3))
    db.session.execute(update(Sku).where(Sku.id == red_l.id).values(on_sale=False))
    sku_service.sync_product(shirt.id)
    db.session.commit()
    assert _product(shirt.id).stock == 6
    orders.cancel_order(order.id, "customer", buyer.id, user_id=buyer.id)
    assert skus_of(shirt)[1].stock == 3
    assert _product(shirt.id).stock == 6  # the off-sale SKU's units are not for sale


def test_line_older_than_skus_releases_to_the_products_sku(buyer):
    product = make_product(stock=5)
    order = _place(buyer, product, (None, 2))
    db.session.execute(
        update(OrderProduct).where(OrderProduct.order_id == order.id).values(sku_id=None)
    )
    db.session.commit()
    orders.cancel_order(order.id, "customer", buyer.id, user_id=buyer.id)
    assert _stock(product) == ([5], 5)


def test_paid_order_counts_sales_on_the_product_and_sku(buyer, shirt):
    red_m, red_l = skus_of(shirt)[:2]
    order = _place(buyer, shirt, (red_m, 2), (red_l, 1))
    assert pay_order(order) == "paid"
    assert pay_order(order) == "replay"
    assert [sku.sales for sku in skus_of(shirt)] == [2, 1, 0, 0]
    assert _product(shirt.id).sales == 3


def test_cancelled_then_paid_order_counts_no_sales_until_restocked(buyer, shirt):
    red_m = skus_of(shirt)[0]
    order = _place(buyer, shirt, (red_m, 1))
    orders.cancel_order(order.id, "customer", buyer.id, user_id=buyer.id)
    assert pay_order(order) == "paid_but_out_of"
    assert _product(shirt.id).sales == 0
    orders.restock_order(order.id, 1)
    assert skus_of(shirt)[0].stock == 1 and skus_of(shirt)[0].sales == 1
    assert _product(shirt.id).sales == 1 and _product(shirt.id).stock == 8


# ---------------------------------------------------------------- admin writes


def _items(product):
    return [
        {"id": sku.id, "specs": sku.specs, "price": sku.price, "stock": sku.stock}
        for sku in skus_of(product)
    ]


def test_editing_skus_never_changes_order_snapshots(buyer, shirt):
    red_m = skus_of(shirt)[0]
    order = _place(buyer, shirt, (red_m, 1))
    before = (list(order.snap_items), order.total_price)
    items = _items(shirt)
    items[0]["price"] = Decimal("99.00")
    catalog.update_product(shirt.id, {"name": "新名字", "skus": items})
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.snap_items, order.total_price) == before
    line = db.session.scalar(select(OrderProduct).where(OrderProduct.order_id == order.id))
    assert (line.price, line.spec) == (Decimal("19.90"), "颜色:红;尺码:M")


def test_sku_left_out_with_an_unpaid_order_goes_off_sale_others_are_deleted(buyer, shirt):
    red_m, red_l, blue_m, blue_l = skus_of(shirt)
    _place(buyer, shirt, (red_m, 1))
    catalog.update_product(shirt.id, {"skus": _items(shirt)[2:]})
    rows = {
        row.id: row
        for row in db.session.scalars(
            select(Sku)
            .where(Sku.product_id == shirt.id)
            .execution_options(include_deleted=True, populate_existing=True)
        )
    }
    assert rows[red_m.id].delete_time is None and rows[red_m.id].on_sale is False
    assert rows[red_l.id].delete_time is not None
    assert [sku.id for sku in skus_of(shirt)] == [red_m.id, blue_m.id, blue_l.id]
    product = _product(shirt.id)
    assert product.price == Decimal("18.50") and product.stock == 4


def test_new_specs_replace_the_skus_and_items_without_id_match_by_combination(shirt):
    blue_m = skus_of(shirt)[2]
    catalog.update_product(
        shirt.id,
        {
            "specs": [{"name": "颜色", "values": ["蓝", "绿"]}, {"name": "尺码", "values": ["M"]}],
            "skus": [
                {"specs": {"颜色": "蓝", "尺码": "M"}, "price": Decimal("17.00"), "stock": 6},
                {"specs": {"颜色": "绿", "尺码": "M"}, "price": Decimal("16.00"), "stock": 1},
            ],
        },
    )
    after = skus_of(shirt)
    assert after[0].id == blue_m.id and (after[0].price, after[0].stock) == (Decimal("17.00"), 6)
    assert (after[1].spec_text, after[1].price) == ("颜色:绿;尺码:M", Decimal("16.00"))
    product = _product(shirt.id)
    assert product.price == Decimal("16.00") and product.stock == 7


def test_adjust_stock_by_delta_is_guarded_and_the_product_follows(shirt):
    red_m = skus_of(shirt)[0]
    catalog.adjust_sku_stock(red_m.id, delta=5)
    assert skus_of(shirt)[0].stock == 7 and _product(shirt.id).stock == 14
    with pytest.raises(StockBelowZero):
        catalog.adjust_sku_stock(red_m.id, delta=-8)
    catalog.adjust_sku_stock(red_m.id, delta=-7)
    assert skus_of(shirt)[0].stock == 0 and _product(shirt.id).stock == 7
    with pytest.raises(SkuNotFound):
        catalog.adjust_sku_stock(999999, stock=1)
