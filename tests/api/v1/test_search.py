"""Search: GET /v1/product/search, /v1/search/hot and the caller's search history."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Config, SearchHistory
from app.services.search import HISTORY_MAX
from tests.factories import (
    make_category,
    make_image,
    make_order,
    make_product,
    make_search_history,
    make_user,
    pay_order,
)

SEARCH = "/v1/product/search"
HISTORY = "/v1/search/history"


def _search(client, headers=None, **params):
    response = client.get(SEARCH, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _names(client, **params) -> list[str]:
    return [item["name"] for item in _search(client, **params)["items"]]


def _history(client, headers) -> list[str]:
    response = client.get(HISTORY, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["keyword"] for item in response.get_json()["data"]["items"]]


# ------------------------------------------------------------------- matching


def test_search_products_finds_chinese_substring_in_name_or_summary(client):
    image = make_image(url="/mango.png")
    by_name = make_product(name="夏日芒果 3个", price="18.80", main_img_id=image.id, summary="甜")
    by_summary = make_product(name="果干 100克", summary="台湾芒果制成")
    make_product(name="红枣 500克", summary="新疆")
    data = _search(client, q="芒果")
    assert data["total"] == 2
    assert data["items"][0] == {
        "id": by_name.id,
        "name": "夏日芒果 3个",
        "price": "18.80",
        "stock": 100,
        "category_id": None,
        "main_image": "http://localhost/static/images/mango.png",
        "summary": "甜",
    }
    assert [item["id"] for item in data["items"]] == [by_name.id, by_summary.id]


def test_search_products_trims_q(client):
    make_product(name="西湖龙井 8克")
    make_product(name="碧螺春")
    assert _names(client, q="  龙井 ") == ["西湖龙井 8克"]


def test_search_products_matches_ascii_letters_in_any_case(client):
    make_product(name="Apple Juice")
    assert _names(client, q="apple") == ["Apple Juice"]


@pytest.mark.parametrize(
    "q,found",
    [
        ("100%", "100% 果汁"),
        ("a_b", "a_b 饼干"),
        ("1/2", "1/2 西瓜"),
        ("c\\d", "c\\d 花生"),
        ("%", "100% 果汁"),
    ],
)
def test_search_products_takes_percent_underscore_and_escapes_literally(client, q, found):
    for name in ("100% 果汁", "1000 果汁", "a_b 饼干", "axb 饼干", "1/2 西瓜", "12 西瓜"):
        make_product(name=name)
    for name in ("c\\d 花生", "cd 花生"):
        make_product(name=name)
    assert _names(client, q=q) == [found]


def test_search_products_underscore_alone_matches_only_underscores(client):
    make_product(name="a_b")
    make_product(name="ab")
    assert _names(client, q="_") == ["a_b"]


def test_search_products_hides_off_sale_and_deleted_products(client):
    make_product(name="梨 在售")
    make_product(name="梨 下架", on_sale=False)
    make_product(name="梨 已删", delete_time=1)
    assert _names(client, q="梨") == ["梨 在售"]


def test_search_products_without_q_lists_every_on_sale_product_newest_first(client):
    old = make_product(name="old", create_time=100)
    new = make_product(name="new", create_time=200)
    make_product(name="hidden", on_sale=False)
    data = _search(client)
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    assert data["total"] == 2


# ------------------------------------------------------------------- filters


def test_search_products_price_bounds_are_inclusive(client):
    for price in ("5.00", "10.00", "12.50", "15.00", "20.00"):
        make_product(name=f"茶 {price}", price=price)
    names = _names(client, q="茶", min_price="10", max_price="15.00", sort="price")
    assert names == ["茶 10.00", "茶 12.50", "茶 15.00"]
    assert _names(client, q="茶", min_price="12.51", sort="price") == ["茶 15.00", "茶 20.00"]
    assert _names(client, q="茶", max_price="5", sort="price") == ["茶 5.00"]


def test_search_products_min_price_above_max_price_answers_1000(client):
    response = client.get(SEARCH, query_string={"min_price": "20", "max_price": "10"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_code"] == 1000
    assert body["msg"] == "max_price: Must be at least min_price."


@pytest.mark.parametrize("price", ["-1", "1.234", "abc", "100000000"])
def test_search_products_bad_price_answers_1000(client, price):
    response = client.get(SEARCH, query_string={"min_price": price})
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000
    assert response.get_json()["errors"].keys() == {"min_price"}


def test_search_products_filters_by_category(client):
    fruit, tea = make_category(), make_category()
    make_product(name="红 苹果", category=fruit)
    make_product(name="红 茶", category=tea)
    assert _names(client, q="红", category_id=fruit.id) == ["红 苹果"]
    assert _search(client, q="红", category_id=987654)["items"] == []


# ---------------------------------------------------------------------- sorts


def test_search_products_default_sort_puts_name_matches_first(client):
    summary_new = make_product(name="干果", summary="含芒果", create_time=300)
    name_old = make_product(name="芒果 旧", create_time=100)
    name_new = make_product(name="芒果 新", create_time=200)
    ids = [item["id"] for item in _search(client, q="芒果")["items"]]
    assert ids == [name_new.id, name_old.id, summary_new.id]


def test_search_products_sort_by_price_both_ways(client):
    for price in ("9.90", "3.50", "12.00"):
        make_product(name=f"瓜子 {price}", price=price)
    assert _names(client, q="瓜子", sort="price") == ["瓜子 3.50", "瓜子 9.90", "瓜子 12.00"]
    assert _names(client, q="瓜子", sort="price", order="desc") == [
        "瓜子 12.00",
        "瓜子 9.90",
        "瓜子 3.50",
    ]


def test_search_products_sort_by_new_both_ways(client):
    make_product(name="枣 b", create_time=200)
    make_product(name="枣 a", create_time=100)
    make_product(name="枣 c", create_time=300)
    assert _names(client, q="枣", sort="new") == ["枣 c", "枣 b", "枣 a"]
    assert _names(client, q="枣", sort="new", order="asc") == ["枣 a", "枣 b", "枣 c"]


def test_search_products_sort_by_sales_follows_the_products_sales(client):
    buyer = make_user()
    few = make_product(name="花生 few")
    many = make_product(name="花生 many")
    unpaid = make_product(name="花生 unpaid")
    make_product(name="花生 none")
    make_product(name="花生 counted", sales=5)  # sales recorded before these orders
    assert pay_order(make_order(buyer, (few, 2))) == "paid"
    assert pay_order(make_order(buyer, (many, 3))) == "paid"
    assert pay_order(make_order(buyer, (many, 1), (few, 1))) == "paid"
    make_order(buyer, (unpaid, 50))  # unpaid: not sold
    # sales: counted 5, many 4, few 3, unpaid 0, none 0; ties by id
    assert _names(client, q="花生", sort="sales") == [
        "花生 counted",
        "花生 many",
        "花生 few",
        "花生 none",
        "花生 unpaid",
    ]
    assert _names(client, q="花生", sort="sales", order="asc") == [
        "花生 unpaid",
        "花生 none",
        "花生 few",
        "花生 many",
        "花生 counted",
    ]


@pytest.mark.parametrize("params", [{"sort": "hot"}, {"order": "up"}, {"sort": 1}])
def test_search_products_unknown_sort_or_order_answers_1000(client, params):
    response = client.get(SEARCH, query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


# ----------------------------------------------------------------- pagination


def test_search_products_paginates(client):
    products = [make_product(name=f"糕 {i}", create_time=100 + i) for i in range(5)]
    newest_first = [p.id for p in reversed(products)]
    data = _search(client, q="糕", page=2, size=2)
    assert [item["id"] for item in data["items"]] == newest_first[2:4]
    assert (data["total"], data["current_page"], data["total_page"]) == (5, 2, 3)
    last = _search(client, q="糕", page=3, size=2)
    assert [item["id"] for item in last["items"]] == newest_first[4:]
    assert _search(client, q="糕", page=4, size=2)["items"] == []


def test_search_products_default_page_size_is_the_paginator_parameter(client):
    for i in range(12):
        make_product(name=f"糕 {i}")
    data = _search(client, q="糕")
    assert (len(data["items"]), data["total"], data["total_page"]) == (10, 12, 2)


@pytest.mark.parametrize("params", [{"size": 101}, {"size": 0}, {"page": 0}])
def test_search_products_bad_page_answers_1000(client, params):
    response = client.get(SEARCH, query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


# --------------------------------------------------------------------- q size


def test_search_products_q_over_fifty_characters_answers_1000_naming_the_limit(client):
    response = client.get(SEARCH, query_string={"q": "芒" * 51})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_code"] == 1000
    assert body["msg"] == "q: Must be at most 50 characters."
    assert body["errors"] == {"q": ["Must be at most 50 characters."]}


def test_search_products_q_of_fifty_characters_after_trimming_is_accepted(client):
    make_product(name="芒" * 50)
    assert _names(client, q="  " + "芒" * 50 + "  ") == ["芒" * 50]


# -------------------------------------------------------------------- history


def test_search_records_history_for_a_logged_in_caller_only(client, customer_headers):
    make_product(name="芒果")
    _search(client, q="芒果")  # anonymous: nothing recorded
    _search(client, headers={"Authorization": "Bearer not-a-token"}, q="芒果")
    assert db.session.scalars(select(SearchHistory)).all() == []
    _search(client, headers=customer_headers, q="  芒果 ")
    _search(client, headers=customer_headers, q="")  # an empty search is not recorded
    _search(client, headers=customer_headers)
    assert _history(client, customer_headers) == ["芒果"]


def test_search_history_answers_newest_first_with_times(client, customer, customer_headers):
    for q in ("红枣", "花生", "龙井"):
        _search(client, headers=customer_headers, q=q)
    response = client.get(HISTORY, headers=customer_headers)
    items = response.get_json()["data"]["items"]
    assert [item["keyword"] for item in items] == ["龙井", "花生", "红枣"]
    rows = {row.keyword: row for row in db.session.scalars(select(SearchHistory))}
    assert items[0] == {
        "id": rows["龙井"].id,
        "keyword": "龙井",
        "create_time": rows["龙井"].create_time,
    }
    assert all(row.user_id == customer.id for row in rows.values())


def test_search_history_repeated_keyword_moves_to_the_top_once(client, customer_headers):
    for q in ("红枣", "花生", "红枣", "Mango", "mango"):
        _search(client, headers=customer_headers, q=q)
    assert _history(client, customer_headers) == ["mango", "红枣", "花生"]
    assert db.session.query(SearchHistory).count() == 3


def test_search_history_keeps_the_newest_twenty(client, customer, customer_headers):
    words = [f"词{i}" for i in range(HISTORY_MAX + 3)]
    for word in words:
        _search(client, headers=customer_headers, q=word)
    assert HISTORY_MAX == 20
    assert _history(client, customer_headers) == words[::-1][:20]
    assert db.session.query(SearchHistory).filter_by(user_id=customer.id).count() == 20


def test_search_history_cap_is_per_user(client, customer, customer_headers, other_customer):
    for i in range(HISTORY_MAX):
        make_search_history(other_customer, f"other{i}")
    _search(client, headers=customer_headers, q="mine")
    assert db.session.query(SearchHistory).filter_by(user_id=other_customer.id).count() == 20
    assert _history(client, customer_headers) == ["mine"]


def test_search_history_never_shows_another_users_keywords(
    client, customer, customer_headers, other_headers
):
    make_search_history(customer, "私密关键词")
    assert _history(client, other_headers) == []
    _search(client, headers=other_headers, q="私密关键词")
    assert _history(client, customer_headers) == ["私密关键词"]
    assert _history(client, other_headers) == ["私密关键词"]
    assert db.session.query(SearchHistory).count() == 2


def test_clear_search_history_deletes_only_the_callers_rows(
    client, customer, customer_headers, other_customer
):
    mine = [make_search_history(customer, word).id for word in ("a", "b")]
    theirs = make_search_history(other_customer, "a")
    response = client.delete(HISTORY, headers=customer_headers)
    assert response.status_code == 202
    body = response.get_json()
    assert (body["error_code"], body["msg"]) == (2, "Deleted")
    assert sorted(body["data"]["ids"]) == sorted(mine)
    assert _history(client, customer_headers) == []
    assert db.session.scalars(select(SearchHistory.id)).all() == [theirs.id]
    again = client.delete(HISTORY, headers=customer_headers)
    assert again.status_code == 202 and again.get_json()["data"] == {"ids": []}


@pytest.mark.parametrize("method", ["get", "delete"])
def test_search_history_needs_a_token(client, method):
    response = getattr(client, method)(HISTORY)
    assert response.status_code == 401
    assert response.get_json()["error_code"] == 1002


def test_deleting_the_account_deletes_its_history(
    client, customer, customer_headers, other_customer
):
    make_search_history(customer, "x")
    kept = make_search_history(other_customer, "x")
    response = client.delete("/v1/user", headers=customer_headers)
    assert response.status_code == 202, response.get_json()
    assert db.session.scalars(select(SearchHistory.id)).all() == [kept.id]


def test_deleting_a_user_row_cascades_to_their_history(client, customer):
    make_search_history(customer, "x")
    db.session.delete(customer)
    db.session.commit()
    assert db.session.query(SearchHistory).count() == 0


# ----------------------------------------------------------------------- hot


def _set_hot(value: str) -> None:
    row = db.session.scalar(select(Config).where(Config.key == "shop.search.hot"))
    row.value = value
    db.session.commit()


def test_hot_keywords_are_empty_on_a_fresh_install(client):
    response = client.get("/v1/search/hot")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"items": []}


def test_hot_keywords_follow_the_config_parameter(client, super_headers):
    row = db.session.scalar(select(Config).where(Config.key == "shop.search.hot"))
    response = client.put(
        f"/v2/config/{row.id}", json={"value": ["芒果", "龙井"]}, headers=super_headers
    )
    assert response.status_code == 201, response.get_json()
    assert client.get("/v1/search/hot").get_json()["data"] == {"items": ["芒果", "龙井"]}


def test_hot_keywords_skip_what_is_not_a_keyword(client):
    _set_hot('[" 芒果 ", "", 3, null, "芒果", "红枣"]')
    assert client.get("/v1/search/hot").get_json()["data"] == {"items": ["芒果", "红枣"]}
    _set_hot('{"a": 1}')
    assert client.get("/v1/search/hot").get_json()["data"] == {"items": []}


def test_hot_keywords_without_the_parameter_are_empty(client):
    db.session.query(Config).filter_by(key="shop.search.hot").delete()
    db.session.commit()
    assert client.get("/v1/search/hot").get_json()["data"] == {"items": []}


def test_hot_keywords_of_the_demo_data(client, demo):
    items = client.get("/v1/search/hot").get_json()["data"]["items"]
    assert items == ["芒果", "红枣", "花生", "瓜子", "龙井"]
    for word in items:  # each finds a demo product
        assert _search(client, q=word)["total"] >= 1
