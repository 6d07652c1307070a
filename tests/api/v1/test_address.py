"""/v1/address: the caller's address book, its single default and owner scoping."""

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Address
from app.schemas.address import Address as AddressShape
from app.services import address as address_book
from tests.factories import auth_headers, make_address

BODY = {
    "name": "李四",
    "mobile": "13912345678",
    "province": "广东",
    "city": "深圳",
    "country": "南山",
    "detail": "科技园1号",
}


def stored(user_id):
    """(id, is_default) of the user's live addresses, by id."""
    db.session.expire_all()
    return db.session.execute(
        select(Address.id, Address.is_default)
        .where(Address.user_id == user_id)
        .order_by(Address.id)
    ).all()


def add(client, headers, **fields):
    return client.post("/v1/address", json={**BODY, **fields}, headers=headers)


# ------------------------------------------------------------------------ POST


def test_create_address_first_becomes_default(client, customer, customer_headers):
    response = add(client, customer_headers, is_default=False)
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (201, 1)
    data = body["data"]
    assert {key: data[key] for key in BODY} == BODY
    assert data["is_default"] is True
    assert isinstance(data["create_time"], int) and data["create_time"] == data["update_time"]
    assert stored(customer.id) == [(data["id"], True)]


def test_create_address_second_is_not_default_unless_asked(client, customer, customer_headers):
    first = add(client, customer_headers).get_json()["data"]["id"]
    second = add(client, customer_headers).get_json()["data"]
    assert second["is_default"] is False
    third = add(client, customer_headers, is_default=True).get_json()["data"]
    assert third["is_default"] is True
    assert stored(customer.id) == [(first, False), (second["id"], False), (third["id"], True)]


def test_create_address_country_defaults_to_empty(client, customer_headers):
    body = {key: value for key, value in BODY.items() if key != "country"}
    response = client.post("/v1/address", json=body, headers=customer_headers)
    assert response.get_json()["data"]["country"] == ""


def test_create_address_ignores_unlisted_fields(client, customer, other_customer, customer_headers):
    response = add(client, customer_headers, user_id=other_customer.id, id=999)
    data = response.get_json()["data"]
    row = db.session.get(Address, data["id"])
    assert row.user_id == customer.id and row.id != 999


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mobile": "12345678901"}, "mobile"),
        ({"mobile": "1391234567"}, "mobile"),
        ({"mobile": 13912345678}, "mobile"),
        ({"name": ""}, "name"),
        ({"name": "n" * 31}, "name"),
        ({"province": "p" * 21}, "province"),
        ({"detail": "   "}, "detail"),
        ({"country": "c" * 21}, "country"),
        ({"is_default": "maybe"}, "is_default"),
    ],
)
def test_create_address_invalid_field_answers_1000(
    client, customer, customer_headers, fields, field
):
    response = add(client, customer_headers, **fields)
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (400, 1000)
    assert field in body["errors"]
    assert stored(customer.id) == []


def test_create_address_missing_required_answers_1000(client, customer_headers):
    response = client.post("/v1/address", json={"name": "x"}, headers=customer_headers)
    assert set(response.get_json()["errors"]) == {"mobile", "province", "city", "detail"}


def test_create_address_over_limit_answers_60020(app, client, customer, customer_headers):
    app.config["ADDRESS_MAX"] = 2
    try:
        add(client, customer_headers)
        add(client, customer_headers)
        response = add(client, customer_headers)
    finally:
        app.config["ADDRESS_MAX"] = 20
    assert (response.status_code, response.get_json()["error_code"]) == (400, 60020)
    assert len(stored(customer.id)) == 2


def test_create_address_deleted_rows_do_not_count_toward_limit(
    app, client, customer, customer_headers
):
    app.config["ADDRESS_MAX"] = 1
    try:
        first = add(client, customer_headers).get_json()["data"]["id"]
        client.delete(f"/v1/address/{first}", headers=customer_headers)
        response = add(client, customer_headers)
    finally:
        app.config["ADDRESS_MAX"] = 20
    assert response.status_code == 201
    assert response.get_json()["data"]["is_default"] is True


def test_create_address_without_token_answers_1002(client):
    response = client.post("/v1/address", json=BODY)
    assert (response.status_code, response.get_json()["error_code"]) == (401, 1002)


# ------------------------------------------------------------------------- GET


def test_list_addresses_default_first_then_recent(client, customer, customer_headers):
    old = make_address(customer, is_default=False, name="old")
    default = make_address(customer, is_default=True, name="default")
    new = make_address(customer, is_default=False, name="new")
    db.session.execute(
        Address.__table__.update().where(Address.id == old.id).values(update_time=100)
    )
    db.session.commit()
    make_address(customer, name="deleted", is_default=False).soft_delete()
    db.session.commit()
    response = client.get("/v1/address/all", headers=customer_headers)
    items = response.get_json()["data"]["items"]
    assert [item["id"] for item in items] == [default.id, new.id, old.id]
    assert items[0]["is_default"] is True


def test_list_addresses_empty_and_other_users_hidden(client, other_customer, customer_headers):
    make_address(other_customer)
    response = client.get("/v1/address/all", headers=customer_headers)
    assert response.get_json()["data"] == {"items": []}


def test_get_default_address_answers_default(client, customer, customer_headers):
    make_address(customer, is_default=False)
    default = make_address(customer, is_default=True, name="home")
    response = client.get("/v1/address", headers=customer_headers)
    data = response.get_json()["data"]
    assert (response.status_code, data["id"], data["name"]) == (200, default.id, "home")


def test_get_default_address_none_answers_60010(client, other_customer, customer_headers):
    make_address(other_customer)
    response = client.get("/v1/address", headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)


def test_get_address_answers_own_row(client, customer, customer_headers):
    row = make_address(customer)
    data = client.get(f"/v1/address/{row.id}", headers=customer_headers).get_json()["data"]
    assert data == AddressShape.serialize(row)


def test_get_address_of_other_user_answers_60010(client, customer, other_customer, other_headers):
    row = make_address(customer)
    response = client.get(f"/v1/address/{row.id}", headers=other_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)


def test_get_address_deleted_answers_60010(client, customer, customer_headers):
    row = make_address(customer)
    row.soft_delete()
    db.session.commit()
    response = client.get(f"/v1/address/{row.id}", headers=customer_headers)
    assert response.get_json()["error_code"] == 60010


# ------------------------------------------------------------------------- PUT


def test_update_address_changes_only_sent_fields(client, customer, customer_headers):
    row = make_address(customer)
    response = client.put(
        f"/v1/address/{row.id}",
        json={"city": " 宁波 ", "mobile": "15000000000", "user_id": 999},
        headers=customer_headers,
    )
    data = response.get_json()["data"]
    assert (response.status_code, data["city"], data["mobile"], data["name"]) == (
        201,
        "宁波",
        "15000000000",
        "张三",
    )
    db.session.expire_all()
    stored_row = db.session.get(Address, row.id)
    assert (stored_row.city, stored_row.user_id, stored_row.detail) == (
        "宁波",
        customer.id,
        "文三路1号",
    )


def test_update_address_is_default_true_moves_default(client, customer, customer_headers):
    first = make_address(customer, is_default=True)
    second = make_address(customer, is_default=False)
    client.put(f"/v1/address/{second.id}", json={"is_default": True}, headers=customer_headers)
    assert stored(customer.id) == [(first.id, False), (second.id, True)]


def test_update_address_is_default_false_on_default_is_ignored(client, customer, customer_headers):
    first = make_address(customer, is_default=True)
    response = client.put(
        f"/v1/address/{first.id}", json={"is_default": False}, headers=customer_headers
    )
    assert response.get_json()["data"]["is_default"] is True
    assert stored(customer.id) == [(first.id, True)]


def test_update_address_of_other_user_answers_60010(client, customer, other_headers):
    row = make_address(customer)
    response = client.put(f"/v1/address/{row.id}", json={"name": "x"}, headers=other_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)
    db.session.expire_all()
    assert db.session.get(Address, row.id).name == "张三"


def test_update_address_invalid_mobile_answers_1000(client, customer, customer_headers):
    row = make_address(customer)
    response = client.put(
        f"/v1/address/{row.id}", json={"mobile": "23800138000"}, headers=customer_headers
    )
    assert list(response.get_json()["errors"]) == ["mobile"]


def test_update_address_null_answers_1000(client, customer, customer_headers):
    row = make_address(customer)
    response = client.put(f"/v1/address/{row.id}", json={"name": None}, headers=customer_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


# ----------------------------------------------------------------- PUT default


def test_set_default_address_clears_previous(client, customer, customer_headers):
    first = make_address(customer, is_default=True)
    second = make_address(customer, is_default=False)
    response = client.put(f"/v1/address/{second.id}/default", headers=customer_headers)
    assert (response.status_code, response.get_json()["data"]["is_default"]) == (201, True)
    assert stored(customer.id) == [(first.id, False), (second.id, True)]


def test_set_default_address_of_other_user_answers_60010(
    client, customer, other_customer, other_headers
):
    mine = make_address(other_customer, is_default=True)
    theirs = make_address(customer, is_default=True)
    response = client.put(f"/v1/address/{theirs.id}/default", headers=other_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)
    assert stored(other_customer.id) == [(mine.id, True)]
    assert stored(customer.id) == [(theirs.id, True)]


# ---------------------------------------------------------------------- DELETE


def test_delete_address_soft_deletes(client, customer, customer_headers):
    row = make_address(customer, is_default=False)
    response = client.delete(f"/v1/address/{row.id}", headers=customer_headers)
    body = response.get_json()
    assert (response.status_code, body["error_code"], body["data"]) == (202, 2, {"id": row.id})
    assert stored(customer.id) == []
    deleted = db.session.scalar(
        select(Address).where(Address.id == row.id).execution_options(include_deleted=True)
    )
    assert deleted.delete_time is not None


def test_delete_default_address_passes_default_to_latest_updated(
    client, customer, customer_headers
):
    default = make_address(customer, is_default=True)
    older = make_address(customer, is_default=False)
    newer = make_address(customer, is_default=False)
    db.session.execute(
        Address.__table__.update().where(Address.id == older.id).values(update_time=100)
    )
    db.session.execute(
        Address.__table__.update().where(Address.id == newer.id).values(update_time=200)
    )
    db.session.commit()
    client.delete(f"/v1/address/{default.id}", headers=customer_headers)
    assert stored(customer.id) == [(older.id, False), (newer.id, True)]


def test_delete_last_address_leaves_no_default(client, customer, customer_headers):
    row = make_address(customer)
    client.delete(f"/v1/address/{row.id}", headers=customer_headers)
    response = client.get("/v1/address", headers=customer_headers)
    assert response.get_json()["error_code"] == 60010


def test_delete_address_of_other_user_answers_60010(client, customer, other_headers):
    row = make_address(customer)
    response = client.delete(f"/v1/address/{row.id}", headers=other_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)
    assert stored(customer.id) == [(row.id, True)]


def test_delete_address_twice_answers_60010(client, customer, customer_headers):
    row = make_address(customer)
    client.delete(f"/v1/address/{row.id}", headers=customer_headers)
    response = client.delete(f"/v1/address/{row.id}", headers=customer_headers)
    assert response.get_json()["error_code"] == 60010


# -------------------------------------------------------- helpers for orders


def test_default_address_and_get_own_address_are_owner_scoped(customer, other_customer):
    mine = make_address(customer, is_default=True)
    assert address_book.default_address(customer.id).id == mine.id
    assert address_book.default_address(other_customer.id) is None
    assert address_book.get_own_address(customer.id, mine.id).id == mine.id
    with pytest.raises(Exception) as error:
        address_book.get_own_address(other_customer.id, mine.id)
    assert error.value.error_code == 60010


def test_create_address_concurrent_first_addresses_leave_one_default(app, customer):
    headers = auth_headers(customer)
    start = threading.Barrier(4, timeout=10)
    statuses = []

    def create():
        with app.test_client() as client:
            start.wait()
            statuses.append(add(client, headers).status_code)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [201] * 4
    db.session.rollback()  # end this session's snapshot, taken before the threads wrote
    assert sorted(is_default for _, is_default in stored(customer.id)) == [False] * 3 + [True]
