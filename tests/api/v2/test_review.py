"""/v2/review: list and search every review, hide and show (counts and cached pages follow),
the shop's one reply (content-checked)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Config, Review
from tests.factories import auth_headers, make_product, make_review, make_staff, make_user
from tests.helpers import error

MODULE = "评价"


def stored(review_id):
    db.session.rollback()
    return db.session.get(Review, review_id)


@pytest.fixture
def reviews(customer, other_customer):
    """Four reviews on two products: (product, [newest .. oldest])."""
    product, other = make_product(name="甲"), make_product(name="乙")
    rows = []
    for author, rating, content, fields, target in [
        (customer, 5, "非常好吃", {}, product),
        (other_customer, 1, "太难吃了", {"visible": False}, product),
        (customer, 3, "还行吧", {"reply": "谢谢", "reply_time": 9}, other),
        (other_customer, 4, "好吃", {"anonymous": True}, product),
    ]:
        review = make_review(author, rating=rating, content=content, **fields)
        review.product_id = target.id
        rows.append(review)
    db.session.commit()
    return product, other, rows


def _ids(client, headers, query=""):
    response = client.get(f"/v2/review/list{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["data"]["items"]]


def test_list_reviews_newest_first_hidden_and_anonymous_included(
    client, super_headers, reviews, other_customer
):
    product, _, rows = reviews
    response = client.get("/v2/review/list", headers=super_headers)
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [row.id for row in reversed(rows)]
    assert data["total"] == 4
    newest = data["items"][0]
    assert (newest["user_nickname"], newest["anonymous"], newest["product_name"]) == (
        "Other",
        True,
        "甲",
    )
    assert isinstance(newest["create_time"], str) and newest["create_time"][4] == "-"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?rating=1", [1]),
        ("?visible=false", [1]),
        ("?visible=true", [3, 2, 0]),
        ("?replied=true", [2]),
        ("?replied=false", [3, 1, 0]),
        ("?keyword=难吃", [1]),
        ("?keyword=好吃", [3, 0]),
        ("?has_image=true", []),
    ],
)
def test_list_reviews_filters(client, super_headers, reviews, query, expected):
    _, _, rows = reviews
    assert _ids(client, super_headers, query) == [rows[i].id for i in expected]


def test_list_reviews_by_product_user_and_time(client, super_headers, reviews, customer):
    product, other, rows = reviews
    assert _ids(client, super_headers, f"?product_id={other.id}") == [rows[2].id]
    by_user = _ids(client, super_headers, f"?user_id={customer.id}")
    assert by_user == [rows[2].id, rows[0].id]
    rows[0].create_time = 100
    db.session.commit()
    assert _ids(client, super_headers, "?start=50&end=150") == [rows[0].id]
    assert rows[0].id not in _ids(client, super_headers, "?start=151")


@pytest.mark.parametrize("query", ["?rating=6", "?visible=x", "?start=abc", "?size=101"])
def test_list_reviews_with_a_bad_query_answers_400(client, super_headers, query):
    error(client.get(f"/v2/review/list{query}", headers=super_headers), 400, 1000)


def test_get_review_shows_the_real_author(client, super_headers, reviews):
    _, _, rows = reviews
    data = client.get(f"/v2/review/{rows[3].id}", headers=super_headers).get_json()["data"]
    assert (data["id"], data["user_nickname"], data["anonymous"]) == (rows[3].id, "Other", True)
    error(client.get("/v2/review/987654", headers=super_headers), 404, 35010)


def test_hide_and_show_move_the_counts_and_the_cached_page(client, super_headers, reviews):
    product, _, rows = reviews
    detail = f"/v1/product/{product.id}"
    assert client.get(detail).get_json()["data"]["review_count"] == 2
    assert client.get(f"{detail}/reviews").get_json()["data"]["total"] == 2

    hidden = client.put(f"/v2/review/{rows[0].id}/hide", headers=super_headers)
    assert (hidden.status_code, hidden.get_json()["data"]["visible"]) == (201, False)
    assert stored(rows[0].id).visible is False
    data = client.get(detail).get_json()["data"]
    assert (data["review_count"], data["good_rate"]) == (1, 100)
    assert client.get(f"{detail}/reviews").get_json()["data"]["total"] == 1

    again = client.put(f"/v2/review/{rows[0].id}/hide", headers=super_headers)
    assert again.status_code == 201 and stored(rows[0].id).visible is False

    shown = client.put(f"/v2/review/{rows[1].id}/show", headers=super_headers)
    assert shown.get_json()["data"]["visible"] is True
    page = client.get(f"{detail}/reviews").get_json()["data"]
    assert [item["id"] for item in page["items"]] == [rows[3].id, rows[1].id]
    assert client.get(detail).get_json()["data"]["good_rate"] == 50


@pytest.mark.parametrize("verb", ["hide", "show"])
def test_hide_or_show_a_missing_review_answers_404(client, super_headers, verb):
    error(client.put(f"/v2/review/987654/{verb}", headers=super_headers), 404, 35010)


def test_reply_once_shows_under_the_review(client, super_admin, super_headers, reviews):
    product, _, rows = reviews
    response = client.post(
        f"/v2/review/{rows[0].id}/reply", json={"content": " 感谢支持 "}, headers=super_headers
    )
    assert response.status_code == 201, response.get_json()
    row = stored(rows[0].id)
    assert (row.reply, row.reply_user_id) == ("感谢支持", super_admin.id)
    assert row.reply_time is not None
    item = client.get(f"/v1/product/{product.id}/reviews").get_json()["data"]["items"][-1]
    assert (item["id"], item["reply"], item["reply_time"]) == (
        rows[0].id,
        "感谢支持",
        row.reply_time,
    )
    again = client.post(
        f"/v2/review/{rows[0].id}/reply", json={"content": "再回复"}, headers=super_headers
    )
    error(again, 409, 35070)
    assert stored(rows[0].id).reply == "感谢支持"


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "字" * 501}, {"content": 1}])
def test_reply_with_a_bad_body_answers_400(client, super_headers, reviews, body):
    _, _, rows = reviews
    error(
        client.post(f"/v2/review/{rows[0].id}/reply", json=body, headers=super_headers), 400, 1000
    )
    assert stored(rows[0].id).reply is None


def test_reply_passes_the_content_check(client, super_headers, reviews):
    _, _, rows = reviews
    row = db.session.scalar(select(Config).where(Config.key == "shop.content.blocked_words"))
    row.value = '["加微信"]'
    db.session.commit()
    body = {"content": "请加 微信 聊"}
    error(
        client.post(f"/v2/review/{rows[0].id}/reply", json=body, headers=super_headers), 400, 35050
    )
    assert stored(rows[0].id).reply is None


def test_reply_to_a_missing_review_answers_404(client, super_headers):
    body = {"content": "谢谢"}
    error(client.post("/v2/review/987654/reply", json=body, headers=super_headers), 404, 35010)


def test_review_routes_answer_staff_by_their_permissions(client, reviews):
    _, _, rows = reviews
    reader = auth_headers(make_staff((MODULE, "查询评价列表")))
    moderator = auth_headers(make_staff((MODULE, "隐藏显示评价")))
    assert client.get("/v2/review/list", headers=reader).status_code == 200
    error(client.put(f"/v2/review/{rows[0].id}/hide", headers=reader), 403, 1004)
    assert client.put(f"/v2/review/{rows[0].id}/hide", headers=moderator).status_code == 201
    error(client.get("/v2/review/list", headers=moderator), 403, 1004)
    body = {"content": "谢谢"}
    error(client.post(f"/v2/review/{rows[0].id}/reply", json=body, headers=reader), 403, 1004)
    customer = auth_headers(make_user())
    error(client.get("/cms/review/list", headers=customer), 403, 1004)


def test_admin_writes_are_in_the_operation_log(client, super_headers, reviews):
    from app.models import OperLog

    _, _, rows = reviews
    client.put(f"/cms/review/{rows[0].id}/hide", headers=super_headers)
    log = db.session.scalars(select(OperLog).order_by(OperLog.id.desc())).first()
    assert (log.module, log.auth, log.request_method) == (MODULE, "隐藏显示评价", "PUT")
