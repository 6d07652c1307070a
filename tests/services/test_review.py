"""The review service: one review per line under concurrency, one reply per review, the public
page in a fixed number of statements, the summary's arithmetic."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.exceptions import ReviewDuplicated, ReviewReplied
from app.extensions import db
from app.models import Review
from app.models.review import good_rate
from app.services import review as review_service
from tests.factories import (
    auth_headers,
    make_product,
    make_received_order,
    make_review,
    make_review_upload,
    make_user,
    order_lines,
)
from tests.helpers import needs_mariadb, run_parallel, run_serial, statements_of


def _reviews(line_id=None) -> list:
    db.session.rollback()  # a fresh snapshot: see what the other threads committed
    statement = select(Review)
    if line_id is not None:
        statement = statement.where(Review.line_id == line_id)
    return db.session.scalars(statement).all()


def _same_line_twice(app, runner, client=None):
    user = make_user()
    line = order_lines(make_received_order(user))[0]
    user_id, line_id = user.id, line.id

    def job(rating):
        return lambda: (
            review_service.create_review(
                user_id, line_id, {"rating": rating, "content": f"第{rating}次", "images": []}
            ).id
        )

    results = runner(app, [job(5), job(4)])
    return line_id, results


@needs_mariadb
def test_reviewing_one_line_twice_concurrently_stores_one_review(app):
    line_id, results = _same_line_twice(app, run_parallel)
    stored = _reviews(line_id)
    assert len(stored) == 1
    assert sorted(type(result).__name__ for result in results) == ["ReviewDuplicated", "int"]
    assert stored[0].id in results


@needs_mariadb
def test_reviewing_one_line_concurrently_over_http_answers_one_201_and_one_409(app):
    user = make_user()
    line_id = order_lines(make_received_order(user))[0].id
    headers = auth_headers(user)

    def post():
        response = app.test_client().post(
            "/v1/review", json={"line_id": line_id, "rating": 5}, headers=headers
        )
        return response.status_code, response.get_json()["error_code"]

    results = run_parallel(app, [post] * 4)
    assert sorted(results) == [(201, 1), (409, 35040), (409, 35040), (409, 35040)]
    assert len(_reviews(line_id)) == 1


def test_reviewing_one_line_twice_in_turn_stores_one_review(app):
    line_id, results = _same_line_twice(app, run_serial)
    assert len(_reviews(line_id)) == 1
    assert isinstance(results[0], int) and isinstance(results[1], ReviewDuplicated)


def test_unique_line_key_refuses_a_second_review_row():
    """The database key is what holds when two requests both passed the service's check."""
    user = make_user()
    line = order_lines(make_received_order(user))[0]
    make_review(user, line)
    with pytest.raises(IntegrityError):
        make_review(user, line, rating=1)
    db.session.rollback()
    assert [r.rating for r in _reviews(line.id)] == [5]


def _replies(app, runner):
    review = make_review(make_user())
    staff = [make_user(auth=2).id for _ in range(2)]
    review_id = review.id

    def job(staff_id):
        return lambda: review_service.reply_review(review_id, staff_id, f"回复{staff_id}").id

    return review_id, runner(app, [job(staff[0]), job(staff[1])])


@needs_mariadb
def test_two_concurrent_replies_store_one(app):
    review_id, results = _replies(app, run_parallel)
    assert sorted(type(r).__name__ for r in results) == ["ReviewReplied", "int"]
    (stored,) = _reviews()
    assert stored.reply is not None and stored.reply_user_id is not None


def test_second_reply_in_turn_is_refused(app):
    review_id, results = _replies(app, run_serial)
    assert isinstance(results[1], ReviewReplied)
    (stored,) = _reviews()
    assert stored.reply == f"回复{stored.reply_user_id}"


# ----------------------------------------------------------- statement counts


def _lines(user, count: int) -> list:
    """`count` (at most 20) received lines of the user, in one order."""
    return order_lines(make_received_order(user, *[(make_product(), 1) for _ in range(count)]))


def _product_with_reviews(count: int, with_images: bool = False, ratings=None) -> int:
    """A product with `count` visible reviews (ratings cycling 1..5 unless given)."""
    product = make_product()
    author = make_user()
    ratings = ratings or [1 + i % 5 for i in range(count)]
    for i, line in enumerate(_lines(author, count)):
        keys = [make_review_upload(author).storage_key for _ in range(2)] if with_images else []
        review = make_review(author, line, rating=ratings[i], images=keys, anonymous=i % 2 == 0)
        review.product_id = product.id
    db.session.commit()
    return product.id


@pytest.mark.parametrize("query", ["?size=100", "?size=100&has_image=true"])
def test_reviews_page_statement_count_does_not_grow_with_reviews(client, query):
    counts = []
    for n in (2, 20):
        product_id = _product_with_reviews(n, with_images=True)
        count, data = statements_of(client, f"/v1/product/{product_id}/reviews{query}")
        assert len(data["items"]) == data["total"] == data["summary"]["count"] == n
        assert all(len(item["images"]) == 2 for item in data["items"])
        counts.append(count)
    assert counts[0] == counts[1]
    assert counts[0] == 4  # the product, the summary, the page with its authors, the images


def test_my_reviews_statement_count_does_not_grow_with_reviews(client):
    counts = []
    for n in (2, 20):
        author = make_user()
        for line in _lines(author, n):
            make_review(author, line, images=[make_review_upload(author).storage_key])
        count, data = statements_of(client, "/v1/review/mine?size=100", auth_headers(author))
        assert len(data["items"]) == n
        counts.append(count)
    assert counts[0] == counts[1]


def test_admin_review_list_statement_count_does_not_grow_with_reviews(client, super_headers):
    counts = []
    for n in (2, 20):
        product_id = _product_with_reviews(n, with_images=True)
        path = f"/v2/review/list?product_id={product_id}&size=100"
        count, data = statements_of(client, path, super_headers)
        assert len(data["items"]) == n
        counts.append(count)
    assert counts[0] == counts[1]


# -------------------------------------------------------------------- summary


@pytest.mark.parametrize(
    "ratings,average,good_rate",
    [
        ([5], "5.0", 100),
        ([1], "1.0", 0),
        ([5, 4, 4], "4.3", 100),
        ([5, 5, 4, 2], "4.0", 75),
        ([3, 4], "3.5", 50),
        ([4, 5, 5, 5, 5, 5, 5, 5, 5, 2], "4.6", 90),
        ([5, 5, 2], "4.0", 66),
    ],
)
def test_summary_average_and_good_rate(ratings, average, good_rate):
    product_id = _product_with_reviews(len(ratings), ratings=ratings)
    summary = review_service.review_summary(product_id)
    assert (str(summary.average), summary.good_rate, summary.count) == (
        average,
        good_rate,
        len(ratings),
    )
    assert sum(entry["count"] for entry in summary.ratings) == len(ratings)
    assert [entry["rating"] for entry in summary.ratings] == [5, 4, 3, 2, 1]


def test_good_rate_rounds_down_so_100_means_every_review():
    assert (good_rate(199, 200), good_rate(200, 200), good_rate(1, 3), good_rate(0, 0)) == (
        99,
        100,
        33,
        None,
    )
