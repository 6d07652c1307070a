"""The admin (CMS) API: every resource in one list, mounted at /v2 and again at /cms."""

from flask import Blueprint, Flask

from app.api.v2 import (  # noqa: I001
    admin,
    aftersale,
    article,
    auth,
    banner,
    banner_item,
    category,
    config,
    coupon,
    dict,
    element,
    file,
    group,
    image,
    log,
    menu,
    notice,
    order,
    order_export,
    outbox,
    product,
    product_import,
    reconcile,
    review,
    route,
    server,
    sku,
    stats,
    theme,
    user,
)

api = Blueprint("v2", __name__)

RESOURCES = [
    admin.bp,
    user.bp,
    group.bp,
    auth.bp,
    menu.bp,
    route.bp,
    element.bp,
    log.bp,
    order.bp,
    aftersale.bp,
    outbox.bp,
    reconcile.bp,
    category.bp,
    product.bp,
    sku.bp,
    theme.bp,
    review.bp,
    coupon.bp,
    banner.bp,
    banner_item.bp,
    image.bp,
    article.bp,
    notice.bp,
    dict.bp,
    config.bp,
    file.bp,
    server.bp,
    stats.bp,
    order_export.bp,
    product_import.bp,
]

for resource in RESOURCES:
    api.register_blueprint(resource)
api.after_request(log.record_operation)


def mount(app: Flask) -> None:
    """The same views at both prefixes; /cms exists because existing CMS front ends call it."""
    app.register_blueprint(api, url_prefix="/v2")
    app.register_blueprint(api, url_prefix="/cms", name="cms")
