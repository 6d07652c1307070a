"""Admin review routes: list and search, hide and show, the shop's one reply."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids
from app.core.exceptions import ContentRefused, ReviewNotFound, ReviewReplied
from app.schemas.base import Page
from app.schemas.review import AdminReview
from app.services import review
from app.validators.review import AdminReviewListForm, ReviewReplyForm

bp = Blueprint("review", __name__, url_prefix="/review")

MODULE = "评价"
ID_PATH = path_ids("id")
FILTERS = ("product_id", "user_id", "rating", "visible", "has_image", "replied", "keyword")
FILTERS += ("start", "end")


@bp.get("/list")
@permission("查询评价列表", MODULE)
@doc("List reviews", query=AdminReviewListForm, data=Page(AdminReview))
def list_reviews():
    """List every review (hidden ones too), newest first, with filters and a text search."""
    form = AdminReviewListForm().validate_or_raise()
    return review.admin_review_page(form, **{name: form[name].data for name in FILTERS})


@bp.get("/<int:id>")
@permission("查询评价列表", MODULE)
@doc("Get a review", data=AdminReview, path=ID_PATH, errors=[ReviewNotFound])
def get_review(id):
    """Get one review with its author's real nickname."""
    return review.get_review(id)


@bp.put("/<int:id>/hide")
@permission("隐藏显示评价", MODULE)
@doc("Hide a review", data=AdminReview, status=201, path=ID_PATH, errors=[ReviewNotFound])
def hide_review(id):
    """Take a review off the product's page and counts (hiding a hidden one changes nothing)."""
    return review.set_visible(id, False)


@bp.put("/<int:id>/show")
@permission("隐藏显示评价", MODULE)
@doc("Show a review", data=AdminReview, status=201, path=ID_PATH, errors=[ReviewNotFound])
def show_review(id):
    """Put a hidden review back on the product's page and counts."""
    return review.set_visible(id, True)


@bp.post("/<int:id>/reply")
@permission("回复评价", MODULE)
@doc(
    "Reply to a review",
    body=ReviewReplyForm,
    data=AdminReview,
    status=201,
    path=ID_PATH,
    errors=[ReviewNotFound, ReviewReplied, ContentRefused],
)
def reply_review(id):
    """Store the shop's reply, shown under the review; a review takes one reply."""
    form = ReviewReplyForm().validate_or_raise()
    return review.reply_review(id, current_user().id, form.content.data)
