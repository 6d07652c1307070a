"""Review: a product's public reviews; the caller reviews the lines of their received orders."""

from flask import Blueprint

from app.core.auth import current_user, login_required, public
from app.core.docs import doc, path_ids, upload_doc
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
from app.core.limits import limit_upload
from app.schemas.base import Page
from app.schemas.review import MyReview, PendingLine, ProductReviews, ReviewUpload
from app.services import catalog, review, uploads
from app.validators.review import ProductReviewsForm, ReviewCreateForm

bp = Blueprint("review", __name__)


@bp.get("/product/<int:id>/reviews")
@public
@catalog.cached_read
@doc(
    "List a product's reviews",
    query=ProductReviewsForm,
    data=ProductReviews,
    path=path_ids("id"),
    errors=[ProductNotFound],
    auth=False,
)
def list_product_reviews(id):
    """List an on-sale product's visible reviews, newest first, with their summary."""
    form = ProductReviewsForm().validate_or_raise()
    return review.product_review_page(id, form)


@bp.post("/review")
@login_required
@doc(
    "Review an order line",
    body=ReviewCreateForm,
    data=MyReview,
    status=201,
    errors=[
        ReviewLineNotFound,
        ReviewNotAllowed,
        ReviewDuplicated,
        ReviewImageInvalid,
        ContentRefused,
    ],
)
def create_review():
    """Review one line of the caller's received order, once, within the review period."""
    form = ReviewCreateForm().validate_or_raise()
    values = {name: form[name].data for name in ("rating", "content", "images", "anonymous")}
    return review.create_review(current_user().id, form.line_id.data, values)


@bp.get("/review/mine")
@login_required
@doc("List my reviews", query=PageForm, data=Page(MyReview))
def list_my_reviews():
    """List the caller's reviews, newest first."""
    form = PageForm().validate_or_raise()
    return review.own_review_page(current_user().id, form)


@bp.get("/review/pending")
@login_required
@doc("List my order lines waiting for a review", query=PageForm, data=Page(PendingLine))
def list_pending_lines():
    """List the lines of the caller's received orders that can still be reviewed."""
    form = PageForm().validate_or_raise()
    return review.pending_lines_page(current_user().id, form)


@bp.get("/review/<int:id>")
@login_required
@doc("Get one of my reviews", data=MyReview, path=path_ids("id"), errors=[ReviewNotFound])
def get_my_review(id):
    """Get one of the caller's reviews."""
    return review.get_own_review(current_user().id, id)


@bp.post("/review/image")
@login_required
@limit_upload
@upload_doc("Upload a review image", data=ReviewUpload, errors=[TooManyRequests])
def upload_review_image():
    """Keep an image (re-encoded, without its metadata) for one of the caller's reviews."""
    return uploads.store_review_image(current_user(), uploads.image_from_request())
