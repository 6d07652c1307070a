"""Review: a product's public reviews; the caller reviews the lines of their received orders."""

from flask import Blueprint

from app.api.resource import Resource, caller_id, values_of
from app.core.auth import current_user, login_required, public
from app.core.exceptions import (
    ContentRefused,
    ProductNotFound,
    ReviewDuplicated,
    ReviewImageInvalid,
    ReviewLineNotFound,
    ReviewNotAllowed,
    ReviewNotFound,
    TooManyRequests,
)
from app.core.forms import PageForm
from app.schemas.base import Page
from app.schemas.review import MyReview, PendingLine, ProductReviews, ReviewUpload
from app.services import catalog, review, uploads
from app.validators.review import ProductReviewsForm, ReviewCreateForm

bp = Blueprint("review", __name__)


REVIEW_FIELDS = ("rating", "content", "images", "anonymous")

Resource(bp, public=True, cache=catalog.cached_read).view(
    "GET",
    "/product/<int:id>/reviews",
    "list_product_reviews",
    public,
    "List a product's reviews",
    "List an on-sale product's visible reviews, newest first, with their summary.",
    review.product_review_page,
    query=ProductReviewsForm,
    data=ProductReviews,
    errors=[ProductNotFound],
)
mine = Resource(bp, shape=MyReview, missing=[ReviewNotFound], prefix="/review")
mine.view(
    "POST",
    "",
    "create_review",
    login_required,
    "Review an order line",
    "Review one line of the caller's received order, once, within the review period.",
    lambda form: review.create_review(
        caller_id(), form.line_id.data, values_of(form, REVIEW_FIELDS)
    ),
    body=ReviewCreateForm,
    errors=[
        ReviewLineNotFound,
        ReviewNotAllowed,
        ReviewDuplicated,
        ReviewImageInvalid,
        ContentRefused,
    ],
)
mine.view(
    "GET",
    "/mine",
    "list_my_reviews",
    login_required,
    "List my reviews",
    "List the caller's reviews, newest first.",
    lambda form: review.own_review_page(caller_id(), form),
    query=PageForm,
    data=Page(MyReview),
)
mine.view(
    "GET",
    "/pending",
    "list_pending_lines",
    login_required,
    "List my order lines waiting for a review",
    "List the lines of the caller's received orders that can still be reviewed.",
    lambda form: review.pending_lines_page(caller_id(), form),
    query=PageForm,
    data=Page(PendingLine),
)
mine.get(
    "get_my_review",
    login_required,
    "Get one of my reviews",
    "Get one of the caller's reviews.",
    lambda id: review.get_own_review(caller_id(), id),
)
mine.upload(
    "/image",
    "upload_review_image",
    login_required,
    "Upload a review image",
    "Keep an image (re-encoded, without its metadata) for one of the caller's reviews.",
    lambda: uploads.store_review_image(current_user(), uploads.image_from_request()),
    data=ReviewUpload,
    errors=[TooManyRequests],
)
