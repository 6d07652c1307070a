"""Admin review routes: list and search, hide and show, the shop's one reply."""

from flask import Blueprint

from app.api.resource import Resource, values_of
from app.core.auth import current_user
from app.core.exceptions import ContentRefused, ReviewNotFound, ReviewReplied
from app.schemas.review import AdminReview
from app.services import review
from app.validators.review import AdminReviewListForm, ReviewReplyForm

bp = Blueprint("review", __name__, url_prefix="/review")

MODULE = "评价"
FILTERS = ("product_id", "user_id", "rating", "visible", "has_image", "replied", "keyword")
FILTERS += ("start", "end")


SHOW_HIDE = "隐藏显示评价"

reviews = Resource(bp, MODULE, shape=AdminReview, missing=[ReviewNotFound])
reviews.list(
    "list_reviews",
    "查询评价列表",
    "List reviews",
    "List every review (hidden ones too), newest first, with filters and a text search.",
    lambda form: review.admin_review_page(form, **values_of(form, FILTERS)),
    form=AdminReviewListForm,
)
reviews.get(
    "get_review",
    "查询评价列表",
    "Get a review",
    "Get one review with its author's real nickname.",
    review.get_review,
)
reviews.view(
    "PUT",
    "/<int:id>/hide",
    "hide_review",
    SHOW_HIDE,
    "Hide a review",
    "Take a review off the product's page and counts (hiding a hidden one changes nothing).",
    lambda id: review.set_visible(id, False),
    errors=[ReviewNotFound],
)
reviews.view(
    "PUT",
    "/<int:id>/show",
    "show_review",
    SHOW_HIDE,
    "Show a review",
    "Put a hidden review back on the product's page and counts.",
    lambda id: review.set_visible(id, True),
    errors=[ReviewNotFound],
)
reviews.view(
    "POST",
    "/<int:id>/reply",
    "reply_review",
    "回复评价",
    "Reply to a review",
    "Store the shop's reply, shown under the review; a review takes one reply.",
    lambda id, form: review.reply_review(id, current_user().id, form.content.data),
    body=ReviewReplyForm,
    errors=[ReviewNotFound, ReviewReplied, ContentRefused],
)
