"""The customer (mini-program) API under /v1: every resource, in one list."""

from flask import Blueprint

from app.api.v1 import (
    address,
    aftersale,
    article,
    avatar,
    banner,
    cart,
    category,
    coupon,
    favorite,
    footprint,
    notice,
    order,
    pay,
    product,
    review,
    search,
    theme,
    token,
    user,
)

api = Blueprint("v1", __name__, url_prefix="/v1")

RESOURCES = [
    token.bp,
    user.bp,
    avatar.bp,
    address.bp,
    banner.bp,
    theme.bp,
    category.bp,
    product.bp,
    search.bp,
    review.bp,
    favorite.bp,
    footprint.bp,
    cart.bp,
    coupon.bp,
    order.bp,
    aftersale.bp,
    pay.bp,
    article.bp,
    notice.bp,
]

for resource in RESOURCES:
    api.register_blueprint(resource)
