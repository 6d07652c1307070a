"""/v2/coupon: templates (list, detail with counts, create, update, off), grants, holders and
redeem codes, answered to staff with the declared permissions."""

import pytest

from app.extensions import db
from app.models import Coupon, CouponCode, UserCoupon
from tests.factories import auth_headers, give_coupon, make_coupon, make_staff, make_user
from tests.helpers import error

MODULE = "优惠券"


@pytest.mark.parametrize(
    "body,stored",
    [
        (
            {"name": "满100减10", "type": 1, "min_amount": "100", "amount": "10", "valid_days": 7},
            {"type": 1, "min_amount": "100.00", "amount": "10.00", "percent": None},
        ),
        (
            {
                "name": "85折",
                "type": 2,
                "min_amount": "50",
                "percent": 85,
                "max_discount": "30",
                "amount": "5",
                "scope": "category",
                "category_ids": [3, 4],
                "product_ids": [9],
                "valid_start": 1000,
                "valid_end": 2000000000,
            },
            {"type": 2, "amount": None, "percent": 85, "max_discount": "30.00"},
        ),
        (
            {"name": "无门槛", "type": 3, "amount": "3", "min_amount": "9", "valid_days": 1},
            {"type": 3, "min_amount": "0.00", "amount": "3.00"},
        ),
    ],
)
def test_create_each_type(client, super_headers, body, stored):
    response = client.post("/v2/coupon", json={**body, "total": 100}, headers=super_headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert {key: data[key] for key in stored} == stored
    assert (data["claimed"], data["total"], data["kind"], data["enabled"]) == (
        0,
        100,
        "claim",
        True,
    )
    if body.get("scope") == "category":
        assert (data["category_ids"], data["product_ids"]) == ([3, 4], [])
    assert isinstance(data["create_time"], str)  # admin times are local text
    assert db.session.get(Coupon, data["id"]).name == body["name"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"type": 1, "min_amount": "100", "valid_days": 7}, "amount"),
        ({"type": 1, "min_amount": "5", "amount": "10", "valid_days": 7}, "min_amount"),
        ({"type": 2, "valid_days": 7}, "percent"),
        ({"type": 2, "percent": 100, "valid_days": 7}, "percent"),
        ({"type": 3, "amount": "1", "scope": "product", "valid_days": 7}, "product_ids"),
        ({"type": 3, "amount": "1", "scope": "category", "valid_days": 7}, "category_ids"),
        ({"type": 3, "amount": "1"}, "valid_end"),
        ({"type": 3, "amount": "1", "valid_start": 5, "valid_end": 5}, "valid_end"),
        ({"type": 3, "amount": "1", "valid_days": 2, "valid_end": 9}, "valid_days"),
        (
            {"type": 3, "amount": "1", "valid_days": 2, "claim_start": 9, "claim_end": 9},
            "claim_end",
        ),
        ({"type": 3, "amount": "1.001", "valid_days": 2}, "amount"),
        ({"type": 4, "amount": "1", "valid_days": 2}, "type"),
        ({"type": 3, "amount": "1", "valid_days": 2, "kind": "gift"}, "kind"),
        ({"type": 3, "amount": "1", "valid_days": 2, "total": 0}, "total"),
    ],
)
def test_create_refuses_inconsistent_templates(client, super_headers, body, field):
    response = client.post("/v2/coupon", json={"name": "x", **body}, headers=super_headers)
    assert field in error(response, 400, 1000)["errors"]
    assert db.session.query(Coupon).count() == 0


def test_list_filters_and_detail_counts(client, super_headers, customer, other_customer):
    coupon = make_coupon(name="夏季满减", total=10)
    give_coupon(customer, coupon)
    give_coupon(other_customer, coupon, status=2)
    give_coupon(make_user(), coupon, valid_start=1, valid_end=2)
    code = make_coupon(name="兑换", kind="code", enabled=False)
    listed = client.get("/v2/coupon/list", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in listed["items"]] == [code.id, coupon.id]
    query = "?kind=code&enabled=false&keyword=兑"
    filtered = client.get(f"/v2/coupon/list{query}", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in filtered["items"]] == [code.id]
    detail = client.get(f"/v2/coupon/{coupon.id}", headers=super_headers).get_json()["data"]
    assert (detail["claimed"], detail["usage"], detail["code_count"]) == (
        3,
        {"unused": 1, "used": 1, "expired": 1},
        None,
    )
    error(client.get("/v2/coupon/999999", headers=super_headers), 404, 52010)


def test_update_keeps_the_kind_and_never_goes_below_claimed(client, super_headers, customer):
    coupon = make_coupon(total=5, claimed=3)
    response = client.put(
        f"/v2/coupon/{coupon.id}", json={"total": 2, "name": "改名"}, headers=super_headers
    )
    error(response, 400, 52011)
    db.session.expire_all()
    assert (db.session.get(Coupon, coupon.id).total, db.session.get(Coupon, coupon.id).name) == (
        5,
        coupon.name,
    )
    response = client.put(
        f"/v2/coupon/{coupon.id}",
        json={"total": 3, "name": "改名", "kind": "code", "type": 3, "min_amount": "50"},
        headers=super_headers,
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["total"], data["name"], data["kind"], data["type"], data["min_amount"]) == (
        3,
        "改名",
        "claim",
        3,
        "0.00",
    )
    unlimited = client.put(f"/v2/coupon/{coupon.id}", json={"total": None}, headers=super_headers)
    assert unlimited.get_json()["data"]["total"] is None
    bad = client.put(f"/v2/coupon/{coupon.id}", json={"valid_days": None}, headers=super_headers)
    assert "valid_end" in error(bad, 400, 1000)["errors"]


def test_off_stops_claims_but_held_copies_stay(client, super_headers, customer, customer_headers):
    coupon = make_coupon()
    held = give_coupon(customer, coupon)
    response = client.put(f"/v2/coupon/{coupon.id}/off", headers=super_headers)
    assert response.status_code == 201 and response.get_json()["data"]["enabled"] is False
    error(client.post(f"/v1/coupon/{coupon.id}/claim", headers=customer_headers), 409, 52050)
    mine = client.get("/v1/coupon/mine", headers=customer_headers).get_json()["data"]["items"]
    assert [item["id"] for item in mine] == [held.id]


def test_grant_and_holders(client, super_headers, customer, other_customer):
    coupon = make_coupon(total=2)
    response = client.post(
        f"/v2/coupon/{coupon.id}/grant",
        json={"user_ids": [customer.id, other_customer.id]},
        headers=super_headers,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"] == {
        "granted": [customer.id, other_customer.id],
        "skipped": [],
    }
    again = client.post(
        f"/v2/coupon/{coupon.id}/grant", json={"user_ids": [customer.id]}, headers=super_headers
    )
    assert again.get_json()["data"] == {"granted": [], "skipped": [customer.id]}
    third = make_user()
    full = client.post(
        f"/v2/coupon/{coupon.id}/grant", json={"user_ids": [third.id]}, headers=super_headers
    )
    assert error(full, 409, 52020)["detail"] == {"left": 0, "asked": 1}
    staff = make_user(auth=2)
    unknown = client.post(
        f"/v2/coupon/{coupon.id}/grant",
        json={"user_ids": [staff.id, 999999]},
        headers=super_headers,
    )
    assert error(unknown, 404, 20010)["detail"] == {"user_ids": [staff.id, 999999]}
    holders = client.get(f"/v2/coupon/{coupon.id}/holders", headers=super_headers).get_json()
    rows = holders["data"]["items"]
    assert [
        (row["user_id"], row["user_nickname"], row["status"], row["source"]) for row in rows
    ] == [
        (other_customer.id, other_customer.nickname, "unused", "grant"),
        (customer.id, customer.nickname, "unused", "grant"),
    ]
    used = client.get(f"/v2/coupon/{coupon.id}/holders?status=used", headers=super_headers)
    assert used.get_json()["data"]["items"] == []


def test_codes_are_generated_for_code_coupons_within_the_quantity(
    client, super_headers, customer_headers
):
    coupon = make_coupon(kind="code", total=5)
    response = client.post(
        f"/v2/coupon/{coupon.id}/codes", json={"count": 3}, headers=super_headers
    )
    assert response.status_code == 201, response.get_json()
    codes = [item["code"] for item in response.get_json()["data"]["items"]]
    assert len(set(codes)) == 3 and all(len(code) == 12 and code.isalnum() for code in codes)
    over = client.post(f"/v2/coupon/{coupon.id}/codes", json={"count": 3}, headers=super_headers)
    assert "count" in error(over, 400, 1000)["errors"]
    plain = make_coupon()
    wrong = client.post(f"/v2/coupon/{plain.id}/codes", json={"count": 1}, headers=super_headers)
    error(wrong, 409, 52012)
    client.post("/v1/coupon/redeem", json={"code": codes[0]}, headers=customer_headers)
    free = client.get(f"/v2/coupon/{coupon.id}/codes?used=false", headers=super_headers)
    assert sorted(item["code"] for item in free.get_json()["data"]["items"]) == sorted(codes[1:])
    used = client.get(f"/v2/coupon/{coupon.id}/codes?used=true", headers=super_headers)
    (row,) = used.get_json()["data"]["items"]
    assert row["code"] == codes[0] and row["used_by"] is not None
    assert row["user_coupon_id"] == db.session.query(UserCoupon.id).scalar()
    detail = client.get(f"/v2/coupon/{coupon.id}", headers=super_headers).get_json()["data"]
    assert (detail["code_count"], detail["claimed"]) == (3, 1)
    assert db.session.query(CouponCode).count() == 3


def test_each_route_needs_its_permission(client):
    coupon = make_coupon()
    reader = auth_headers(make_staff((MODULE, "查询优惠券")))
    assert client.get("/v2/coupon/list", headers=reader).status_code == 200
    assert client.get(f"/cms/coupon/{coupon.id}", headers=reader).status_code == 200
    error(client.put(f"/v2/coupon/{coupon.id}/off", headers=reader), 403, 1004)
    error(
        client.post(f"/v2/coupon/{coupon.id}/grant", json={"user_ids": [1]}, headers=reader),
        403,
        1004,
    )
    granter = auth_headers(make_staff((MODULE, "发放优惠券")))
    error(client.get("/v2/coupon/list", headers=granter), 403, 1004)
