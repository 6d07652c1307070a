"""/v1/review and /v1/product/{id}/reviews: reviewing received lines once, the public page with
its summary, the caller's reviews and pending lines, review images, the content check."""

import io
from decimal import Decimal

import pytest
from PIL import Image as PILImage
from sqlalchemy import select

from app.extensions import db
from app.models import Config, File, Order, Product, Review, ReviewImage, User
from app.models.base import now
from app.services import uploads
from tests.factories import (
    jpeg_bytes,
    make_order,
    make_product,
    make_received_order,
    make_review,
    make_review_upload,
    order_lines,
    pay_order,
    png_bytes,
)
from tests.helpers import error

DAY = 86400


def received_line(user, **product_fields):
    """The one line of a new received order of the user."""
    product = make_product(**product_fields)
    return order_lines(make_received_order(user, (product, 1)))[0]


def post_review(client, headers, line, **fields):
    body = {"line_id": line.id, "rating": 5, **fields}
    return client.post("/v1/review", json=body, headers=headers)


def set_config(key, value):
    db.session.scalar(select(Config).where(Config.key == key)).value = value
    db.session.commit()


def stored_reviews():
    db.session.expire_all()
    return db.session.scalars(select(Review).order_by(Review.id)).all()


# ------------------------------------------------------------ POST /v1/review


def test_create_review_stores_the_line_and_answers_it(client, customer, customer_headers):
    line = received_line(customer, name="龙井")
    upload = make_review_upload(customer)

    response = post_review(
        client,
        customer_headers,
        line,
        rating=4,
        content="  好茶\n回甘  ",
        images=[upload.storage_key],
        anonymous=True,
    )

    assert response.status_code == 201, response.get_json()
    (review,) = stored_reviews()
    assert (review.user_id, review.order_id, review.line_id, review.product_id) == (
        customer.id,
        line.order_id,
        line.id,
        line.product_id,
    )
    assert (review.sku_id, review.rating, review.content) == (line.sku_id, 4, "好茶\n回甘")
    assert (review.anonymous, review.has_image, review.visible, review.reply) == (
        True,
        True,
        True,
        None,
    )
    assert [image.key for image in review.images] == [upload.storage_key]
    data = response.get_json()["data"]
    assert data == {
        "id": review.id,
        "line_id": line.id,
        "order_id": line.order_id,
        "product_id": line.product_id,
        "product_name": "龙井",
        "product_image": "",
        "sku_id": line.sku_id,
        "spec": "",
        "rating": 4,
        "content": "好茶\n回甘",
        "images": [f"http://localhost/uploads/{upload.storage_key}"],
        "anonymous": True,
        "visible": True,
        "reply": None,
        "reply_time": None,
        "create_time": review.create_time,
    }


def test_create_review_of_a_line_twice_answers_409(client, customer, customer_headers):
    line = received_line(customer)
    assert post_review(client, customer_headers, line).status_code == 201
    error(post_review(client, customer_headers, line, rating=1), 409, 35040)
    assert [r.rating for r in stored_reviews()] == [5]


def test_create_review_of_each_line_of_an_order(client, customer, customer_headers):
    order = make_received_order(customer, (make_product(), 1), (make_product(), 2))
    for line in order_lines(order):
        assert post_review(client, customer_headers, line).status_code == 201
    assert len(stored_reviews()) == 2


def test_create_review_of_another_users_line_answers_404(client, other_customer, customer_headers):
    line = received_line(other_customer)
    error(post_review(client, customer_headers, line), 404, 35020)
    unknown = client.post(
        "/v1/review", json={"line_id": 987654, "rating": 5}, headers=customer_headers
    )
    error(unknown, 404, 35020)
    assert stored_reviews() == []


@pytest.mark.parametrize("paid_only", [True, False])
def test_create_review_before_receipt_answers_409(client, customer, customer_headers, paid_only):
    order = make_order(customer, (make_product(), 1))
    if paid_only:
        pay_order(order)
    body = error(post_review(client, customer_headers, order_lines(order)[0]), 409, 35030)
    assert body["detail"]["allowed_statuses"] == [6]
    assert stored_reviews() == []


def test_create_review_after_the_review_period_answers_409(client, customer, customer_headers):
    set_config("shop.review.days", "7")
    inside = order_lines(make_received_order(customer, receive_time=now() - 7 * DAY + 60))[0]
    outside = order_lines(make_received_order(customer, receive_time=now() - 7 * DAY - 60))[0]
    assert post_review(client, customer_headers, inside).status_code == 201
    body = error(post_review(client, customer_headers, outside), 409, 35030)
    assert "7 days" in body["msg"]
    assert len(stored_reviews()) == 1


def test_review_period_falls_back_to_30_days_when_the_parameter_is_unusable(
    client, customer, customer_headers
):
    set_config("shop.review.days", "-3")
    line = order_lines(make_received_order(customer, receive_time=now() - 29 * DAY))[0]
    assert post_review(client, customer_headers, line).status_code == 201


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "5.5"}, "rating"),
        ({"content": "字" * 501}, "content"),
        ({"content": "bell\x07"}, "content"),
        ({"content": 5}, "content"),
        ({"images": "2026/12/02/" + "a" * 32 + ".png"}, "images"),
        ({"images": ["../../etc/passwd"]}, "images"),
        ({"images": ["2026/12/02/" + "a" * 32 + ".pdf"]}, "images"),
        ({"images": [f"2026/12/02/{i:032x}.png" for i in range(10)]}, "images"),
        ({"images": ["2026/12/02/" + "a" * 32 + ".png"] * 2}, "images"),
        ({"anonymous": "maybe"}, "anonymous"),
    ],
)
def test_create_review_with_invalid_fields_answers_400(
    client, customer, customer_headers, fields, field
):
    line = received_line(customer)
    body = error(post_review(client, customer_headers, line, **fields), 400, 1000)
    assert field in body["errors"]
    assert stored_reviews() == []


def test_create_review_needs_line_and_rating(client, customer_headers):
    body = error(client.post("/v1/review", json={}, headers=customer_headers), 400, 1000)
    assert set(body["errors"]) == {"line_id", "rating"}


def test_create_review_with_500_characters_and_nine_images(client, customer, customer_headers):
    line = received_line(customer)
    keys = [make_review_upload(customer).storage_key for _ in range(9)]
    response = post_review(client, customer_headers, line, content="字" * 500, images=keys)
    assert response.status_code == 201, response.get_json()
    (review,) = stored_reviews()
    assert [image.key for image in review.images] == keys
    assert [image.order for image in review.images] == list(range(1, 10))


def test_create_review_refuses_images_the_caller_did_not_upload(
    client, customer, other_customer, customer_headers
):
    line = received_line(customer)
    mine = make_review_upload(customer).storage_key
    theirs = make_review_upload(other_customer).storage_key
    unknown = "2026/12/02/" + "f" * 32 + ".png"
    body = error(
        post_review(client, customer_headers, line, images=[mine, theirs, unknown]), 400, 35060
    )
    assert body["detail"] == {"images": [theirs, unknown]}
    assert stored_reviews() == []


def test_create_review_refuses_a_deleted_upload(client, customer, customer_headers):
    line = received_line(customer)
    upload = make_review_upload(customer)
    upload.soft_delete()
    db.session.commit()
    error(post_review(client, customer_headers, line, images=[upload.storage_key]), 400, 35060)


# ---------------------------------------------------------------- content check


@pytest.mark.parametrize("text", ["这是 广告 内容", "这是广·告", "ＡＤ小号", "ad小号", "a d小号"])
def test_create_review_with_a_blocked_word_answers_400(client, customer, customer_headers, text):
    set_config("shop.content.blocked_words", '["广告", "AD小号", 7, ""]')
    line = received_line(customer)
    body = error(post_review(client, customer_headers, line, content=text), 400, 35050)
    assert body["msg"] == "The text is not allowed (blocked words or WeChat's content check)"
    assert stored_reviews() == []


def test_create_review_passes_text_without_blocked_words(client, customer, customer_headers):
    set_config("shop.content.blocked_words", '["广告"]')
    line = received_line(customer)
    assert post_review(client, customer_headers, line, content="很好吃").status_code == 201


def test_create_review_blocks_nothing_when_the_parameter_is_not_a_list(
    client, customer, customer_headers
):
    set_config("shop.content.blocked_words", '{"广告": 1}')
    line = received_line(customer)
    assert post_review(client, customer_headers, line, content="广告").status_code == 201


# ------------------------------------------------------------ the public page


def _page(client, product_id, query=""):
    response = client.get(f"/v1/product/{product_id}/reviews{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_product_reviews_answer_the_page_and_the_summary(client, customer, other_customer):
    product = make_product()
    customer.avatar = "https://cdn.example.com/a.png"
    db.session.commit()
    old = make_review(customer, received_line(customer), rating=5, content="好")
    old.product_id = product.id
    anonymous = make_review(other_customer, rating=2, content="一般", anonymous=True)
    anonymous.product_id = product.id
    key = make_review_upload(customer).storage_key
    pictured = make_review(customer, rating=4, images=[key], reply="谢谢", reply_time=7)
    pictured.product_id = product.id
    db.session.commit()

    data = _page(client, product.id)

    assert [item["id"] for item in data["items"]] == [pictured.id, anonymous.id, old.id]
    assert (data["total"], data["current_page"], data["total_page"]) == (3, 1, 1)
    assert data["items"][0] == {
        "id": pictured.id,
        "nickname": "Customer",
        "avatar": "https://cdn.example.com/a.png",
        "anonymous": False,
        "rating": 4,
        "content": "很好",
        "images": [f"http://localhost/uploads/{key}"],
        "spec": "",
        "reply": "谢谢",
        "reply_time": 7,
        "create_time": pictured.create_time,
    }
    assert (data["items"][1]["nickname"], data["items"][1]["avatar"]) == ("O***", "")
    assert data["summary"] == {
        "count": 3,
        "average": Decimal("3.7"),  # a JSON number (the test client reads it exactly)
        "good_rate": 66,
        "with_images": 1,
        "ratings": [
            {"rating": 5, "count": 1},
            {"rating": 4, "count": 1},
            {"rating": 3, "count": 0},
            {"rating": 2, "count": 1},
            {"rating": 1, "count": 0},
        ],
    }


def test_product_reviews_filter_by_image_and_paginate(client, customer):
    product = make_product()
    key = make_review_upload(customer).storage_key
    reviews = []
    for i in range(5):
        review = make_review(customer, images=[key] if i % 2 == 0 else [])
        review.product_id = product.id
        reviews.append(review)
    db.session.commit()
    pictured = _page(client, product.id, "?has_image=true&size=2")
    assert [item["id"] for item in pictured["items"]] == [reviews[4].id, reviews[2].id]
    assert (pictured["total"], pictured["total_page"]) == (3, 2)
    plain = _page(client, product.id, "?has_image=0")
    assert [item["id"] for item in plain["items"]] == [reviews[3].id, reviews[1].id]
    assert plain["total"] == 2
    page_two = _page(client, product.id, "?size=2&page=3")
    assert [item["id"] for item in page_two["items"]] == [reviews[0].id]
    past = _page(client, product.id, "?page=9")
    assert (past["items"], past["total"]) == ([], 5)
    assert pictured["summary"] == plain["summary"]  # the summary of all of them


def test_product_reviews_leave_out_hidden_reviews(client, customer):
    shown = make_review(customer, rating=5)
    hidden = make_review(customer, rating=1, visible=False)
    hidden.product_id = shown.product_id
    db.session.commit()
    data = _page(client, shown.product_id)
    assert [item["id"] for item in data["items"]] == [shown.id]
    assert (data["summary"]["count"], data["summary"]["good_rate"]) == (1, 100)


def test_product_reviews_without_reviews_answer_an_empty_summary(client):
    data = _page(client, make_product().id)
    assert data["items"] == [] and data["total"] == 0
    assert data["summary"]["count"] == 0
    assert (data["summary"]["average"], data["summary"]["good_rate"]) == (None, None)


def test_product_reviews_mask_a_deleted_author(client, customer):
    review = make_review(customer)
    db.session.get(User, customer.id).soft_delete()
    db.session.commit()
    item = _page(client, review.product_id)["items"][0]
    assert (item["nickname"], item["avatar"]) == ("C***", "")


@pytest.mark.parametrize("state", ["missing", "off_sale", "deleted"])
def test_product_reviews_of_a_hidden_product_answer_404(client, customer, state):
    product_id = 987654
    if state != "missing":
        review = make_review(customer)
        product = db.session.get(Product, review.product_id)
        if state == "off_sale":
            product.on_sale = False
        else:
            product.soft_delete()
        db.session.commit()
        product_id = product.id
    error(client.get(f"/v1/product/{product_id}/reviews"), 404, 30010)


@pytest.mark.parametrize("query", ["?has_image=maybe", "?size=0", "?page=x"])
def test_product_reviews_with_a_bad_query_answer_400(client, query):
    error(client.get(f"/v1/product/{make_product().id}/reviews{query}"), 400, 1000)


def test_product_reviews_are_public_and_cacheable(client, customer):
    review = make_review(customer)
    response = client.get(f"/v1/product/{review.product_id}/reviews")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    assert response.headers.get("ETag")


def test_a_new_review_shows_on_the_cached_page_and_detail(client, customer, customer_headers):
    line = received_line(customer)
    path = f"/v1/product/{line.product_id}"
    assert client.get(f"{path}/reviews").get_json()["data"]["total"] == 0
    assert client.get(path).get_json()["data"]["review_count"] == 0
    assert post_review(client, customer_headers, line, rating=3).status_code == 201
    assert client.get(f"{path}/reviews").get_json()["data"]["total"] == 1
    detail = client.get(path).get_json()["data"]
    assert (detail["review_count"], detail["good_rate"]) == (1, 0)


# ------------------------------------------------------------- product detail


def test_product_detail_answers_sales_review_count_and_good_rate(client, customer):
    product = make_product()
    for rating in (5, 4, 3, 1):
        review = make_review(customer, rating=rating)
        review.product_id = product.id
    hidden = make_review(customer, rating=1, visible=False)
    hidden.product_id = product.id
    db.session.get(Product, product.id).sales = 12
    db.session.commit()
    data = client.get(f"/v1/product/{product.id}").get_json()["data"]
    assert (data["sales"], data["review_count"], data["good_rate"]) == (12, 4, 50)


def test_product_detail_without_reviews_has_no_good_rate(client):
    data = client.get(f"/v1/product/{make_product().id}").get_json()["data"]
    assert (data["sales"], data["review_count"], data["good_rate"]) == (0, 0, None)


def test_receiving_and_paying_counts_sales_on_the_detail(client, customer):
    product = make_product()
    make_received_order(customer, (product, 3))
    assert client.get(f"/v1/product/{product.id}").get_json()["data"]["sales"] == 3


# ------------------------------------------------------------ the caller's own


def test_list_my_reviews_newest_first_hidden_ones_marked(
    client, customer, other_customer, customer_headers
):
    first = make_review(customer)
    second = make_review(customer, visible=False)
    make_review(other_customer)
    data = client.get("/v1/review/mine", headers=customer_headers).get_json()["data"]
    assert [item["id"] for item in data["items"]] == [second.id, first.id]
    assert [item["visible"] for item in data["items"]] == [False, True]
    assert data["total"] == 2


def test_my_review_of_a_deleted_product_still_lists(client, customer, customer_headers):
    review = make_review(customer)
    product = db.session.get(Product, review.product_id)
    product.soft_delete()
    db.session.commit()
    item = client.get("/v1/review/mine", headers=customer_headers).get_json()["data"]["items"][0]
    assert item["product_name"] == product.name


def test_get_my_review_and_not_another_users(client, customer, other_customer, customer_headers):
    mine = make_review(customer)
    theirs = make_review(other_customer)
    response = client.get(f"/v1/review/{mine.id}", headers=customer_headers)
    assert response.get_json()["data"]["id"] == mine.id
    error(client.get(f"/v1/review/{theirs.id}", headers=customer_headers), 404, 35010)
    error(client.get("/v1/review/987654", headers=customer_headers), 404, 35010)


def test_list_pending_lines_of_received_orders_within_the_period(
    client, customer, other_customer, customer_headers
):
    set_config("shop.review.days", "10")
    product = make_product(name="猕猴桃")
    order = make_received_order(customer, (product, 2), (make_product(), 1))
    first, second = order_lines(order)
    make_review(customer, second)
    make_received_order(customer, receive_time=now() - 11 * DAY)  # too old
    make_order(customer, (make_product(), 1))  # not received
    make_received_order(other_customer)
    data = client.get("/v1/review/pending", headers=customer_headers).get_json()["data"]
    order = db.session.get(Order, order.id)
    assert data["items"] == [
        {
            "line_id": first.id,
            "order_id": order.id,
            "order_no": order.order_no,
            "product_id": product.id,
            "sku_id": first.sku_id,
            "spec": "",
            "name": "猕猴桃",
            "main_image": "",
            "count": 2,
            "price": "9.90",
            "receive_time": order.receive_time,
            "deadline": order.receive_time + 10 * DAY,
        }
    ]
    assert data["total"] == 1
    assert post_review(client, customer_headers, first).status_code == 201
    after = client.get("/v1/review/pending", headers=customer_headers).get_json()["data"]
    assert after["items"] == []


# ------------------------------------------------------------ review images


def _upload(client, headers, data: bytes, name="photo.jpg"):
    return client.post(
        "/v1/review/image",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _jpeg_with_location(size=(3000, 1000)) -> bytes:
    image = PILImage.new("RGB", size, (10, 120, 200))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_upload_review_image_keeps_a_reencoded_copy_owned_by_the_caller(
    app, client, customer, customer_headers
):
    response = _upload(client, customer_headers, _jpeg_with_location())
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["url"] == f"http://localhost/uploads/{data['key']}"
    row = db.session.scalar(select(File).where(File.storage_key == data["key"]))
    assert (row.owner_id, row.parent_id, row.is_folder) == (customer.id, None, False)
    stored = uploads.get_storage().path(data["key"])
    with PILImage.open(stored) as image:
        assert max(image.size) == app.config["REVIEW_IMAGE_MAX_SIDE"]
        assert not image.getexif()
    line = received_line(customer)
    assert post_review(client, customer_headers, line, images=[data["key"]]).status_code == 201


def test_uploaded_review_image_cannot_be_attached_by_another_user(
    client, customer, other_customer, customer_headers, other_headers
):
    key = _upload(client, customer_headers, png_bytes(), "p.png").get_json()["data"]["key"]
    line = received_line(other_customer)
    error(post_review(client, other_headers, line, images=[key]), 400, 35060)


@pytest.mark.parametrize(
    "data,name,status,code",
    [
        (b"not an image", "x.png", 415, 10340),
        (b"%PDF-1.4", "x.pdf", 415, 10330),
    ],
)
def test_upload_review_image_refuses_what_is_not_an_image(
    client, customer_headers, data, name, status, code
):
    error(_upload(client, customer_headers, data, name), status, code)


def test_upload_review_image_needs_a_token(client):
    error(_upload(client, {}, jpeg_bytes()), 401, 1002)


def test_review_image_survives_the_authors_avatar_change(app, client, customer, customer_headers):
    # Same content as avatar and review image: one stored object, one private row.
    picture = png_bytes(size=(8, 8))
    upload = uploads.validate("a.png", picture, extensions=uploads.IMAGE_EXTENSIONS, max_size=10**6)
    with app.test_request_context():
        key = uploads.store_review_image(customer, upload)["key"]
    line = received_line(customer)
    assert post_review(client, customer_headers, line, images=[key]).status_code == 201
    user = db.session.get(User, customer.id)
    user.avatar = key  # the user then made it their avatar too
    db.session.commit()
    avatar = {"avatar": "https://cdn.example.com/new.png"}
    assert client.put("/v1/user/avatar", json=avatar, headers=customer_headers).status_code == 201
    assert uploads.get_storage().exists(key)
    assert db.session.scalar(select(ReviewImage.key)) == key
