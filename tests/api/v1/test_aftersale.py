"""/v1/aftersale: asking for an after-sale from the order detail's lines, listing, detail,
cancel, sending a return back, after-sale images."""

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AfterSale, OrderProduct
from tests.factories import (
    make_after_sale,
    make_paid_order,
    make_product,
    make_review_upload,
    order_lines,
    png_bytes,
)
from tests.helpers import error


def _ask(client, headers, order, units, **fields):
    body = {
        "order_id": order.id,
        "type": 1,
        "lines": [{"order_product_id": line_id, "count": count} for line_id, count in units],
        "reason": "不想要了",
        **fields,
    }
    return client.post("/v1/aftersale", json=body, headers=headers)


def test_order_detail_lines_build_the_request(client, customer, customer_headers):
    order = make_paid_order(
        customer,
        (make_product(name="芒果干", price="5.00", stock=9), 3),
        (make_product(name="核桃", price="2.00", stock=9), 1),
        shares=["9.99", "1.50"],
        freight="6.00",
    )
    detail = client.get(f"/v1/order/{order.id}", headers=customer_headers).get_json()["data"]
    assert detail["refunded_amount"] == "0.00" and detail["pay_amount"] == "17.49"
    first = detail["lines"][0]
    assert {k: first[k] for k in ("name", "count", "price", "pay_amount")} == {
        "name": "芒果干",
        "count": 3,
        "price": "5.00",
        "pay_amount": "9.99",
    }
    assert (first["refundable_count"], first["refundable_amount"]) == (3, "9.99")
    assert first["after_sale_id"] is None
    line_id = first["order_product_id"]
    response = _ask(client, customer_headers, order, [(line_id, 2)], description="破损")
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["status"], data["type"], data["amount"], data["freight_amount"]) == (
        1,
        1,
        "6.66",
        "0.00",
    )
    assert data["lines"] == [
        {
            "order_product_id": line_id,
            "product_id": first["product_id"],
            "sku_id": first["sku_id"],
            "name": "芒果干",
            "spec": "",
            "count": 2,
            "amount": "6.66",
        }
    ]
    assert data["order_no"] == order.order_no and data["description"] == "破损"
    detail = client.get(f"/v1/order/{order.id}", headers=customer_headers).get_json()["data"]
    assert detail["lines"][0]["after_sale_id"] == data["id"]
    stored = db.session.get(AfterSale, data["id"])
    assert stored.user_id == customer.id and str(stored.amount) == "6.66"


def test_the_request_covering_every_unit_shows_the_freight(client, customer, customer_headers):
    order = make_paid_order(customer, (make_product(price="5.00", stock=9), 2), freight="6.00")
    (line,) = order_lines(order)
    data = _ask(client, customer_headers, order, [(line.id, 2)]).get_json()["data"]
    assert (data["goods_amount"], data["freight_amount"], data["amount"]) == (
        "10.00",
        "6.00",
        "16.00",
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"type": 3},
        {"reason": ""},
        {"reason": "x" * 101},
        {"lines": []},
        {"images": ["not-a-key"]},
        {"images": [f"2026/12/02/{n:032x}.png" for n in range(10)]},
        {"order_id": "abc"},
    ],
)
def test_bad_requests_answer_400(client, customer, customer_headers, fields):
    order = make_paid_order(customer)
    line = order_lines(order)[0]
    error(_ask(client, customer_headers, order, [(line.id, 1)], **fields), 400, 1000)
    assert db.session.query(AfterSale).count() == 0


def test_a_line_named_twice_answers_400(client, customer, customer_headers):
    order = make_paid_order(customer, (make_product(stock=9), 2))
    line = order_lines(order)[0]
    error(_ask(client, customer_headers, order, [(line.id, 1), (line.id, 1)]), 400, 1000)


def test_refusals(client, customer, customer_headers, other_customer):
    order = make_paid_order(customer, (make_product(stock=9), 2))
    (line,) = order_lines(order)
    foreign = make_paid_order(other_customer)
    foreign_line = order_lines(foreign)[0]
    error(_ask(client, customer_headers, foreign, [(foreign_line.id, 1)]), 404, 50010)
    error(_ask(client, customer_headers, order, [(foreign_line.id, 1)]), 404, 53020)
    error(_ask(client, customer_headers, order, [(line.id, 3)]), 409, 53050)
    error(_ask(client, customer_headers, order, [(line.id, 1)], type=2), 409, 53030)
    other_image = make_review_upload(other_customer)
    body = error(
        _ask(client, customer_headers, order, [(line.id, 1)], images=[other_image.storage_key]),
        400,
        53070,
    )
    assert body["detail"] == {"images": [other_image.storage_key]}
    assert _ask(client, customer_headers, order, [(line.id, 1)]).status_code == 201
    body = error(_ask(client, customer_headers, order, [(line.id, 1)]), 409, 53040)
    assert body["detail"]["order_product_id"] == line.id
    spent = make_paid_order(customer)  # its one unit already given back
    db.session.query(OrderProduct).filter_by(order_id=spent.id).update({"refunded_count": 1})
    db.session.commit()
    error(_ask(client, customer_headers, spent, [(order_lines(spent)[0].id, 1)]), 409, 53050)


def test_list_detail_cancel(client, customer, customer_headers, other_headers):
    first = make_after_sale(customer)
    second = make_after_sale(customer, reason="尺码不合适")
    page = client.get("/v1/aftersale?size=1", headers=customer_headers).get_json()["data"]
    assert (page["total"], page["total_page"]) == (2, 2)
    assert page["items"][0]["id"] == second.id and page["items"][0]["count"] == 1
    assert client.get("/v1/aftersale", headers=other_headers).get_json()["data"]["items"] == []
    error(client.get(f"/v1/aftersale/{first.id}", headers=other_headers), 404, 53010)
    error(client.put(f"/v1/aftersale/{first.id}/cancel", headers=other_headers), 404, 53010)
    response = client.put(f"/v1/aftersale/{first.id}/cancel", headers=customer_headers)
    assert response.status_code == 201 and response.get_json()["data"]["status"] == 7
    assert response.get_json()["data"]["cancel_time"] is not None
    error(client.put(f"/v1/aftersale/{first.id}/cancel", headers=customer_headers), 409, 53060)
    detail = client.get(f"/v1/aftersale/{second.id}", headers=customer_headers).get_json()
    assert detail["data"]["reason"] == "尺码不合适" and isinstance(
        detail["data"]["create_time"], int
    )


def test_ship_an_approved_return(client, customer, customer_headers, super_headers):
    order = make_paid_order(customer, (make_product(stock=9), 1), delivered=True)
    request = make_after_sale(customer, order, type=2)
    body = {"carrier": "顺丰速运", "tracking_no": "SF100"}
    path = f"/v1/aftersale/{request.id}/ship"
    error(client.put(path, json=body, headers=customer_headers), 409, 53060)  # not approved
    assert (
        client.put(f"/v2/aftersale/{request.id}/approve", headers=super_headers).status_code == 201
    )
    error(
        client.put(path, json={"carrier": "x", "tracking_no": "a b"}, headers=customer_headers),
        400,
        1000,
    )
    response = client.put(path, json=body, headers=customer_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["status"], data["carrier"], data["tracking_no"]) == (3, "顺丰速运", "SF100")
    refund_only = make_after_sale(customer)
    error(
        client.put(f"/v1/aftersale/{refund_only.id}/ship", json=body, headers=customer_headers),
        409,
        53060,
    )


def test_after_sale_image_upload_gives_a_usable_key(client, customer, customer_headers):
    response = client.post(
        "/v1/aftersale/image",
        data={"file": (io.BytesIO(png_bytes()), "broken.png")},
        headers=customer_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    key = response.get_json()["data"]["key"]
    order = make_paid_order(customer)
    line = order_lines(order)[0]
    data = _ask(client, customer_headers, order, [(line.id, 1)], images=[key]).get_json()["data"]
    assert data["images"][0].endswith(key)
    assert db.session.scalar(select(AfterSale.images)) == [key]
