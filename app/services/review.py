"""Reviews: a customer reviews each line of their own received order once, within the
`shop.review.days` config parameter's days of receipt; staff list, hide, show and reply.

Every customer query names the owner in its WHERE clause (another user's line or review is a
404). UNIQUE (line_id) keeps one review per line: of two requests racing on one line, the
loser's insert fails on the key and answers 409 / 35040. Review text and replies pass
`content_check.check_text` before they are stored, so what is stored may be shown.

The product detail's `review_count` and `good_rate` and the public reviews page are catalog
reads (cached, app/services/catalog/cache.py): every write here commits and then invalidates
the catalog cache, as catalog edits do.

The public page costs four statements whatever it holds: the product, the summary (one
GROUP BY rating, which also gives the page total), the page with the authors joined, and the
page's images.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.core.exceptions import (
    ProductNotFound,
    ReviewDuplicated,
    ReviewImageInvalid,
    ReviewLineNotFound,
    ReviewNotAllowed,
    ReviewNotFound,
    ReviewReplied,
)
from app.core.filters import keyword_filter
from app.core.pagination import page_args, page_dict, paginate
from app.extensions import db
from app.models import Identity, Order, OrderProduct, OrderStatus, Product, Review
from app.models.base import now
from app.models.order import absolute_url, status_conflict
from app.models.review import GOOD_RATING, RATING_MAX, RATING_MIN, ReviewImage, good_rate
from app.services import uploads
from app.services.catalog import invalidate_catalog
from app.services.config_params import config_value
from app.services.content_check import Scene, check_text

REVIEW_DAYS_KEY = "shop.review.days"
DEFAULT_REVIEW_DAYS = 30
DAY = 86400
WX_MINA = 200  # the identity type of a mini-program openid


def review_days() -> int:
    """The `shop.review.days` parameter: days after receipt a line may be reviewed
    (DEFAULT_REVIEW_DAYS when the row is missing or not a whole number >= 0)."""
    value = config_value(REVIEW_DAYS_KEY, DEFAULT_REVIEW_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_REVIEW_DAYS
    return value


def _commit() -> None:
    db.session.commit()
    invalidate_catalog()


# ----------------------------------------------------------------- customer: writing


def _own_line(user_id: int, line_id: int) -> tuple[OrderProduct, Order]:
    row = db.session.execute(
        select(OrderProduct, Order)
        .join(Order, Order.id == OrderProduct.order_id)
        .where(OrderProduct.id == line_id, Order.user_id == user_id)
    ).first()
    if row is None:
        raise ReviewLineNotFound()
    line, order = row
    return line, order


def _check_reviewable(order: Order, days: int, at: int) -> None:
    if order.order_status != OrderStatus.RECEIVED or order.receive_time is None:
        conflict = status_conflict(
            order.order_status,
            [OrderStatus.RECEIVED],
            "Only the lines of a received order can be reviewed",
        )
        raise ReviewNotAllowed(conflict.msg, detail=conflict.detail)
    deadline = order.receive_time + days * DAY
    if at > deadline:
        raise ReviewNotAllowed(
            f"Lines can be reviewed within {days} days of receipt; that time is over",
            detail={"receive_time": order.receive_time, "deadline": deadline},
        )


def _check_own_images(user_id: int, keys: list[str]) -> None:
    """Every key must be a live file the user uploaded (a private row of theirs)."""
    missing = uploads.not_uploaded_by(user_id, keys)
    if missing:
        raise ReviewImageInvalid(
            "images: upload each image with POST /v1/review/image and send the keys it answers",
            detail={"images": missing},
        )


def _openid(user_id: int) -> str | None:
    return db.session.scalar(
        select(Identity.identifier)
        .where(Identity.user_id == user_id, Identity.type == WX_MINA)
        .limit(1)
    )


def create_review(user_id: int, line_id: int, values: dict) -> Review:
    """Review one line of the user's received order: `rating`, `content`, `images` (storage
    keys of their uploads, in order) and `anonymous`."""
    line, order = _own_line(user_id, line_id)
    _check_reviewable(order, review_days(), now())
    if db.session.scalar(select(Review.id).where(Review.line_id == line.id)) is not None:
        raise ReviewDuplicated()
    keys = list(values.get("images") or [])
    _check_own_images(user_id, keys)
    content = values.get("content") or ""
    check_text(content, openid=_openid(user_id) if content else None, scene=Scene.COMMENT)
    review = Review(
        user_id=user_id,
        order_id=order.id,
        line_id=line.id,
        product_id=line.product_id,
        sku_id=line.sku_id,
        spec=line.spec or "",
        rating=values["rating"],
        content=content,
        anonymous=bool(values.get("anonymous")),
        has_image=bool(keys),
        visible=True,
        images=[ReviewImage(key=key, order=position) for position, key in enumerate(keys, 1)],
    )
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request stored this line's review after the check above (UNIQUE line_id).
        db.session.rollback()
        raise ReviewDuplicated() from None
    review_id = review.id
    _commit()
    return get_own_review(user_id, review_id)


# ----------------------------------------------------------------- customer: reading


def _own_statement(user_id: int):
    return (
        select(Review)
        .where(Review.user_id == user_id)
        .options(joinedload(Review.product), selectinload(Review.images))
        .execution_options(include_deleted=True)  # a deleted product still names the review
    )


def get_own_review(user_id: int, review_id: int) -> Review:
    review = db.session.scalar(
        _own_statement(user_id)
        .where(Review.id == review_id)
        .execution_options(populate_existing=True)
    )
    if review is None:
        raise ReviewNotFound()
    return review


def own_review_page(user_id: int, form) -> dict:
    """The user's reviews, newest first (hidden ones too, marked `visible: false`)."""
    return paginate(_own_statement(user_id).order_by(Review.id.desc()), form)


@dataclass
class PendingLine:
    """A line of a received order that may still be reviewed, as the order snapshot shows
    it."""

    line_id: int
    order_id: int
    order_no: str
    product_id: int
    sku_id: int | None
    spec: str
    count: int
    price: Decimal
    name: str
    main_image: str
    receive_time: int
    deadline: int


def _snapshot_item(order: Order, line: OrderProduct) -> dict:
    items = order.snap_items or []
    for item in items:
        if item.get("id") == line.product_id and item.get("sku_id") == line.sku_id:
            return item
    return next((item for item in items if item.get("id") == line.product_id), {})


def pending_lines_page(user_id: int, form) -> dict:
    """Lines of the user's received orders within the review period and without a review,
    the latest receipt first."""
    days = review_days()
    statement = (
        select(OrderProduct, Order)
        .join(Order, Order.id == OrderProduct.order_id)
        .outerjoin(Review, Review.line_id == OrderProduct.id)
        .where(
            Order.user_id == user_id,
            Order.order_status == OrderStatus.RECEIVED,
            Order.receive_time >= now() - days * DAY,
            Review.id.is_(None),
        )
        .order_by(Order.receive_time.desc(), Order.id.desc(), OrderProduct.id)
    )

    def pending(row) -> PendingLine:
        line, order = row
        item = _snapshot_item(order, line)
        return PendingLine(
            line_id=line.id,
            order_id=order.id,
            order_no=order.order_no,
            product_id=line.product_id,
            sku_id=line.sku_id,
            spec=line.spec or "",
            count=line.count,
            price=line.price,
            name=item.get("name", ""),
            main_image=absolute_url(item.get("main_image") or ""),
            receive_time=order.receive_time,
            deadline=order.receive_time + days * DAY,
        )

    return paginate(statement, form, pending, scalars=False)


# ------------------------------------------------------------------ public page


@dataclass
class Summary:
    count: int
    average: Decimal | None
    good_rate: int | None
    with_images: int
    ratings: list[dict]


def review_summary(product_id: int) -> Summary:
    """The numbers of a product's visible reviews, from one GROUP BY rating."""
    rows = db.session.execute(
        select(
            Review.rating,
            func.count(Review.id),
            func.coalesce(func.sum(case((Review.has_image.is_(True), 1), else_=0)), 0),
        )
        .where(Review.product_id == product_id, Review.visible.is_(True))
        .group_by(Review.rating)
    ).all()
    by_rating = {rating: 0 for rating in range(RATING_MIN, RATING_MAX + 1)}
    with_images = 0
    for rating, count, images in rows:
        by_rating[int(rating)] = int(count)
        with_images += int(images)
    count = sum(by_rating.values())
    good = sum(n for rating, n in by_rating.items() if rating >= GOOD_RATING)
    average = None
    if count:
        total = sum(rating * n for rating, n in by_rating.items())
        average = (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Summary(
        count=count,
        average=average,
        good_rate=good_rate(good, count),
        with_images=with_images,
        ratings=[{"rating": r, "count": by_rating[r]} for r in sorted(by_rating, reverse=True)],
    )


def product_review_page(product_id: int, form) -> dict:
    """One page of an on-sale product's visible reviews, newest first, and their summary.

    `has_image` true lists the reviews with images only, false those without; absent, all.
    """
    found = db.session.scalar(
        select(Product.id).where(Product.id == product_id, Product.on_sale.is_(True))
    )
    if found is None:
        raise ProductNotFound()
    summary = review_summary(product_id)
    page, size = page_args(form)
    statement = select(Review).where(Review.product_id == product_id, Review.visible.is_(True))
    has_image = form.has_image.data if form.has_image.present else None
    if has_image is None:
        total = summary.count
    else:
        statement = statement.where(Review.has_image.is_(has_image))
        total = summary.with_images if has_image else summary.count - summary.with_images
    rows = db.session.scalars(
        statement.options(joinedload(Review.user), selectinload(Review.images))
        # authors who deleted their account still sign (masked, see Review.author_name)
        .execution_options(include_deleted=True)
        .order_by(Review.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return {**page_dict(list(rows), total, page, size), "summary": summary}


# ------------------------------------------------------------------------ admin


def admin_review_statement(
    *,
    product_id=None,
    user_id=None,
    rating=None,
    visible=None,
    has_image=None,
    replied=None,
    keyword=None,
    start=None,
    end=None,
):
    """Every review filtered as the admin list asks, newest first."""
    statement = select(Review)
    if product_id is not None:
        statement = statement.where(Review.product_id == product_id)
    if user_id is not None:
        statement = statement.where(Review.user_id == user_id)
    if rating is not None:
        statement = statement.where(Review.rating == rating)
    if visible is not None:
        statement = statement.where(Review.visible.is_(visible))
    if has_image is not None:
        statement = statement.where(Review.has_image.is_(has_image))
    if replied is not None:
        statement = statement.where(
            Review.reply.is_not(None) if replied else Review.reply.is_(None)
        )
    if start is not None:
        statement = statement.where(Review.create_time >= start)
    if end is not None:
        statement = statement.where(Review.create_time <= end)
    statement = keyword_filter(statement, keyword, Review.content)
    return (
        statement.options(
            joinedload(Review.user), joinedload(Review.product), selectinload(Review.images)
        )
        .execution_options(include_deleted=True)
        .order_by(Review.id.desc())
    )


def admin_review_page(form, **filters) -> dict:
    return paginate(admin_review_statement(**filters), form)


def get_review(review_id: int) -> Review:
    review = db.session.scalar(
        admin_review_statement()
        .where(Review.id == review_id)
        .execution_options(populate_existing=True)
    )
    if review is None:
        raise ReviewNotFound()
    return review


def set_visible(review_id: int, visible: bool) -> Review:
    """Hide or show a review (it leaves or rejoins the product's reviews and counts)."""
    get_review(review_id)
    db.session.execute(
        update(Review)
        .where(Review.id == review_id, Review.visible.is_not(visible))
        .values(visible=visible, update_time=now())
        .execution_options(synchronize_session=False)
    )
    _commit()
    return get_review(review_id)


def reply_review(review_id: int, staff_id: int, content: str) -> Review:
    """Store the shop's one reply; a review that has one answers 409 / 35070 (also when two
    replies race: the update is guarded on the reply being empty)."""
    get_review(review_id)
    check_text(content, scene=Scene.COMMENT)
    at = now()
    result = db.session.execute(
        update(Review)
        .where(Review.id == review_id, Review.reply.is_(None))
        .values(reply=content, reply_time=at, reply_user_id=staff_id, update_time=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ReviewReplied()
    _commit()
    return get_review(review_id)
