"""Demo reviews of user 2 on the lines of their received demo orders, and one shop reply.

They are written by the review service (its period, duplicate and content checks included);
a line that has its review, or can no longer be reviewed, is left as it is.
"""

from sqlalchemy import select

from app.core.exceptions import ReviewDuplicated, ReviewNotAllowed
from app.extensions import db
from app.models import Order, OrderProduct, OrderStatus, Review
from app.seed.orders import ADMIN_ID, DEMO_USER_ID
from app.services import review as review_service

# product id: rating, content, anonymous (other received lines stay waiting for a review)
DEMO_REVIEWS = {
    21: (5, "茶香清新，回甘明显，包装也很精致，送人很有面子。", False),
    10: (5, "凤梨很甜，汁水多，物流也快，下次还买。", False),
    12: (3, "奇异果还有点硬，放了两天才好吃。", True),
}
DEMO_REPLY = (10, "感谢您的好评，期待您再次光临！")


def seed_reviews() -> None:
    """Load the demo reviews (idempotent)."""
    lines = db.session.execute(
        select(OrderProduct.id, OrderProduct.product_id)
        .join(Order, Order.id == OrderProduct.order_id)
        .where(Order.user_id == DEMO_USER_ID, Order.order_status == OrderStatus.RECEIVED)
        .order_by(OrderProduct.id)
    ).all()
    for line_id, product_id in lines:
        if product_id not in DEMO_REVIEWS:
            continue
        rating, content, anonymous = DEMO_REVIEWS[product_id]
        values = {"rating": rating, "content": content, "images": [], "anonymous": anonymous}
        try:
            review_service.create_review(DEMO_USER_ID, line_id, values)
        except (ReviewDuplicated, ReviewNotAllowed):
            db.session.rollback()
    product_id, reply = DEMO_REPLY
    unreplied = db.session.scalar(
        select(Review.id).where(
            Review.user_id == DEMO_USER_ID,
            Review.product_id == product_id,
            Review.reply.is_(None),
        )
    )
    if unreplied is not None:
        review_service.reply_review(unreplied, ADMIN_ID, reply)
