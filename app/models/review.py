"""Reviews: a customer's rating and words on one line of a received order, with its images.

A review is never deleted: staff hide it (`visible`), which takes it out of the product's
reviews and counts, and may show it again. UNIQUE (line_id) keeps one review per order line,
also when two requests race.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.core.urls import upload_url
from app.extensions import db
from app.models.base import CreateTimeMixin, TimestampMixin
from app.models.catalog import Product

RATING_MIN, RATING_MAX = 1, 5
GOOD_RATING = 4  # 4 and 5 stars count as good reviews (good_rate)
CONTENT_MAX = 500
IMAGES_MAX = 9
ANONYMOUS_NAME = "匿名用户"


def mask_name(name: str | None) -> str:
    """The name an anonymous review shows: the first character and three stars."""
    name = (name or "").strip()
    return f"{name[0]}***" if name else ANONYMOUS_NAME


class Review(TimestampMixin, db.Model):
    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("line_id"),
        CheckConstraint(f"rating >= {RATING_MIN} AND rating <= {RATING_MAX}", name="rating_range"),
        # The public page (newest first) and its summary (GROUP BY rating) of one product.
        Index("ix_review_product_id_visible_id", "product_id", "visible", "id"),
        Index("ix_review_product_id_visible_rating", "product_id", "visible", "rating"),
        Index("ix_review_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_product.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    sku_id: Mapped[int | None] = mapped_column(Integer)
    spec: Mapped[str] = mapped_column(String(255), default="", server_default="")
    rating: Mapped[int] = mapped_column(SmallInteger)
    content: Mapped[str] = mapped_column(String(CONTENT_MAX), default="", server_default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    has_image: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    visible: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    reply: Mapped[str | None] = mapped_column(String(CONTENT_MAX))
    reply_time: Mapped[int | None] = mapped_column(Integer)
    reply_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user = relationship("User", foreign_keys=[user_id], lazy="select")
    product = relationship("Product", lazy="select")
    images = relationship(
        "ReviewImage",
        order_by="ReviewImage.order",
        lazy="select",
        cascade="all, delete-orphan",
    )

    @property
    def image_urls(self) -> list[str]:
        return [upload_url(image.key) for image in self.images]

    @property
    def shows_name(self) -> bool:
        """False for an anonymous review, and for one whose author deleted their account."""
        return not self.anonymous and self.user is not None and self.user.delete_time is None

    @property
    def author_name(self) -> str:
        name = self.user.nickname if self.user is not None else None
        return (name or ANONYMOUS_NAME) if self.shows_name else mask_name(name)

    @property
    def author_avatar(self) -> str:
        return self.user.avatar_url if self.shows_name else ""


class ReviewImage(CreateTimeMixin, db.Model):
    """An image of a review: the storage key of a file the author uploaded (a private file
    row of theirs, app/services/uploads.py), in the order they sent."""

    __tablename__ = "review_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    order: Mapped[int] = mapped_column(SmallInteger)


# The product detail's review numbers, counted from the visible reviews when the detail is
# built (loaded only where asked for: the public detail undefers them; app/services/catalog).
Product.review_count = column_property(
    select(func.count(Review.id))
    .where(Review.product_id == Product.id, Review.visible.is_(True))
    .correlate_except(Review)
    .scalar_subquery(),
    deferred=True,
)
Product.good_review_count = column_property(
    select(func.count(Review.id))
    .where(
        Review.product_id == Product.id,
        Review.visible.is_(True),
        Review.rating >= GOOD_RATING,
    )
    .correlate_except(Review)
    .scalar_subquery(),
    deferred=True,
)


def good_rate(good: int, count: int) -> int | None:
    """The share of good reviews in whole percent, rounded down (100 only when all are
    good); None when there is no review."""
    return good * 100 // count if count else None
