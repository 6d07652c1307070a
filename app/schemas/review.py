"""Review shapes: a product's public page with its summary, the author's own reviews, lines
waiting for a review, an uploaded review image, and reviews as staff see them."""

from marshmallow import fields

from app import models
from app.schemas.base import (
    ADMIN,
    Computed,
    FieldGroup,
    Int,
    List,
    Money,
    Nested,
    Page,
    Shape,
    Str,
    Time,
)
from app.schemas.product import live_main_image
from app.schemas.user import Customer


class ReviewFields(FieldGroup):
    """What the review shapes answer alike: the images' URLs and the product reviewed."""

    images = List(Str(), attribute="image_urls")
    product_name = Computed(lambda r: r.product.name if r.product else "", Str())
    product_image = Computed(live_main_image, Str())


class Review(ReviewFields, Shape):
    """A visible review on the product's page. An anonymous review (or one whose author left)
    shows a masked nickname ("小***") and no avatar."""

    model = models.Review
    answers = "id nickname avatar anonymous rating content images spec reply reply_time create_time"
    nickname = Str(attribute="author_name")
    avatar = Str(attribute="author_avatar")


class RatingCount(Shape):
    """How many visible reviews give this many stars."""

    rating = Int()
    count = Int()


class ReviewSummary(Shape):
    """A product's visible reviews in numbers: how many, the average rating (one decimal,
    null without reviews), the good rate (4 and 5 stars, whole percent rounded down, null
    without reviews), how many have images, and the count per rating from 5 to 1."""

    count = Int()
    average = fields.Float(allow_none=True)
    good_rate = Int(allow_none=True)
    with_images = Int()
    ratings = List(Nested(RatingCount))


class ProductReviews(Page(Review)):
    """One page of a product's visible reviews, newest first, and the summary of all of them
    (whatever the page's filter)."""

    summary = Nested(ReviewSummary)


class MyReview(ReviewFields, Shape):
    """One of the caller's reviews with its product; `visible` is false while staff hide it."""

    model = models.Review
    answers = (
        "id line_id order_id product_id product_name product_image sku_id spec rating content",
        "images anonymous visible reply reply_time create_time",
    )


class PendingLine(Shape):
    """A line of a received order that can still be reviewed (until `deadline`), as the
    order's snapshot shows it; review it with POST /v1/review {line_id}."""

    line_id = Int()
    order_id = Int()
    order_no = Str()
    product_id = Int()
    sku_id = Int(allow_none=True)
    spec = Str()
    name = Str()
    main_image = Str()
    count = Int()
    price = Money()
    receive_time = Time()
    deadline = Time()


class ReviewUpload(Shape):
    """An image kept for a review: send `key` in the review's `images`."""

    key = Str()
    url = Str()


class AdminReview(ReviewFields, Customer, Shape):
    """A review as staff see it: its author's real nickname (also when it is anonymous), its
    product and order line, and whether it is shown."""

    audience = ADMIN
    model = models.Review
    answers = (
        "id user_id user_nickname product_id product_name order_id line_id sku_id spec rating",
        "content images anonymous has_image visible reply reply_time reply_user_id create_time",
        "update_time",
    )
