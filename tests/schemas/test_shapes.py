"""Response shapes: the compiled serializer writes what marshmallow would, audiences are chosen
by the shape (never by the URL), money stays exact, and no secret is ever a field."""

from decimal import Decimal

import pytest
from flask import current_app

from app.core.timefmt import format_time
from app.extensions import db
from app.models import Order
from app.schemas import (
    address,
    aftersale,
    article,
    banner,
    category,
    common,
    coupon,
    favorite,
    file,
    image,
    notice,
    order,
    outbox,
    pay,
    product,
    review,
    theme,
    token,
    user,
)
from app.schemas.base import ADMIN, Items, Money, Page, Text, admin_view
from app.services import orders
from tests import factories
from tests.schemas import declared_shapes, imported_schema_modules

MODULES = imported_schema_modules(globals())  # every schema module imported above


@pytest.fixture
def rows(app):
    customer = factories.make_user(username="alice", nickname="Al")
    category_row = factories.make_category(topic_img_id=factories.make_image().id)
    item = factories.make_product(price="12.30", category=category_row)
    item.main_img_id = factories.make_image().id
    db.session.commit()
    factories.make_product_image(item)
    factories.make_property(item)
    theme_row = factories.make_theme(products=[item])
    banner_row = factories.make_banner()
    slide = factories.make_banner_item(banner_row, key_word=str(item.id), type=1)
    placed = factories.make_order(customer, (item, 2))
    folder = factories.make_folder()
    from app.services import review as review_service

    written = factories.make_review(
        customer, anonymous=True, images=[factories.make_review_upload(customer).storage_key]
    )
    summary = review_service.review_summary(written.product_id)
    pending = review_service.PendingLine(
        line_id=1,
        order_id=1,
        order_no="N1",
        product_id=item.id,
        sku_id=None,
        spec="",
        count=1,
        price=Decimal("1.50"),
        name="x",
        main_image="",
        receive_time=1,
        deadline=2,
    )
    kept = factories.make_favorite(customer, item)
    opened = factories.make_footprint(customer, item)
    template = factories.make_coupon(min_amount="20.00", amount="5.00")
    held = factories.give_coupon(customer, template)
    factories.give_coupon(customer, factories.make_coupon(min_amount="900.00", amount="5.00"))
    couponed = orders.place_order(
        customer.id, [{"product_id": item.id, "count": 2}], user_coupon_id=held.id
    )
    code_template = factories.make_coupon(kind="code", total=5)
    code = factories.make_coupon_code(code_template)
    from app.services import coupons as coupon_service

    orders_detail = coupon_service.template_detail(code_template.id)
    quote = orders.preview_order(
        customer.id, [{"product_id": item.id, "count": 2}, {"product_id": 987654, "count": 1}]
    )
    from app.services import aftersale as aftersale_service

    asked = factories.make_after_sale(customer, factories.make_paid_order(customer))
    asked = aftersale_service.get_after_sale(asked.id)
    asked.lines[0].snap = {"name": "x"}
    order_line = factories.order_lines(placed)[0]
    order_line.snap = {"name": "x", "main_image": "/static/images/a.png"}
    return {
        aftersale.AfterSale: asked,
        aftersale.AfterSaleSummary: asked,
        aftersale.AdminAfterSaleSummary: asked,
        aftersale.AdminAfterSale: asked,
        aftersale.AfterSaleLine: asked.lines[0],
        aftersale.AfterSaleEvent: asked.events[0],
        aftersale.AfterSaleUpload: {"key": "k", "url": "u"},
        order.OrderLine: order_line,
        review.Review: written,
        review.ReviewSummary: summary,
        review.ProductReviews: {
            "items": [written],
            "total": 1,
            "current_page": 1,
            "total_page": 1,
            "summary": summary,
        },
        review.MyReview: written,
        review.PendingLine: pending,
        review.ReviewUpload: {"key": "k", "url": "u"},
        review.AdminReview: written,
        favorite.FavoriteItem: kept,
        favorite.FootprintItem: opened,
        favorite.FootprintDay: {"date": "2026-12-02", "items": [opened]},
        product.ProductSummary: item,
        product.ProductDetail: item,
        category.Category: category_row,
        theme.Theme: theme_row,
        theme.ThemeDetail: theme_row,
        banner.Banner: banner_row,
        product.AdminProductSummary: item,
        product.AdminProductDetail: item,
        product.ProductImages: item,
        category.AdminCategory: category_row,
        theme.AdminTheme: theme_row,
        theme.AdminThemeDetail: theme_row,
        banner.AdminBanner: banner_row,
        banner.AdminBannerDetail: banner_row,
        banner.AdminBannerItem: slide,
        image.AdminImage: factories.make_image(),
        file.AdminFile: folder,
        file.FolderNode: {"id": 0, "parent_id": 0, "name": "", "children": []},
        file.FileTypes: {"items": ["png"]},
        order.AdminOrderSummary: placed,
        order.AdminOrderDetail: placed,
        article.AdminArticle: factories.make_article(customer),
        article.AdminArticleDetail: factories.make_article(customer),
        notice.Notice: factories.make_notice(),
        notice.AdminNotice: factories.make_notice(),
        article.ArticleSummary: factories.make_article(customer),
        article.ArticleDetail: factories.make_article(customer),
        address.Address: factories.make_address(customer),
        user.Me: customer,
        user.AdminUser: customer,
        order.OrderSummary: placed,
        order.OrderDetail: placed,
        order.PlacedOrder: placed,
        outbox.AdminOutboxMessage: factories.make_outbox_message(state="dead", last_errcode=1),
        outbox.ShippingUpload: factories.make_outbox_message(order_id=placed.id),
        order.OrderPreview: quote,
        order.OrderCoupon: orders.order_coupon(couponed),
        coupon.CouponTemplate: template,
        coupon.ClaimableCoupon: {"coupon": template, "held": 1, "can_claim": False},
        coupon.MyCoupon: held,
        coupon.AdminCoupon: template,
        coupon.CouponUsage: {"unused": 1, "used": 2, "expired": 3},
        coupon.AdminCouponDetail: orders_detail,
        coupon.AdminCouponHolder: held,
        coupon.AdminCouponCode: code,
        coupon.CouponGrant: {"granted": [1], "skipped": [2]},
        coupon.CouponOffer: quote.offers[0],
        order.OrderPreviewLine: quote.lines[0],
        order.OrderProblem: quote.lines[1].problem,
        token.TokenPair: {
            "token": "t",
            "token_type": "Bearer",
            "expires_in": 7200,
            "refresh_token": "r",
            "refresh_expires_in": 1,
            "uid": 1,
            "scope": "user",
        },
    }


def test_serialize_writes_what_marshmallow_dump_writes(app, rows):
    with app.test_request_context("/", base_url="http://shop.example"):
        for shape, row in rows.items():
            for view in (shape, admin_view(shape)):
                assert view.serialize(row) == view().dump(row), view.__name__
        page = {"items": [rows[product.ProductSummary]], "total": 1, "current_page": 1}
        page["total_page"] = 1
        assert Page(product.ProductSummary).serialize(page) == Page(product.ProductSummary)().dump(
            page
        )


def test_every_declared_shape_is_covered_or_dict_shaped(rows):
    dict_shaped = {
        token.TokenInfo,
        token.Nothing,
        user.Permission,
        common.Id,
        common.Ids,
        pay.PayParameters,
        pay.WechatResource,
        pay.WechatNotification,
        pay.WechatFail,
        product.ProductProperty,
        banner.BannerItem,
        order.SnapItem,
        order.SnapAddress,
        product.ProductImageItem,
        product.AdminProductProperty,
        order.OrderEvent,
        order.OrderPayment,
        order.OrderRefund,
        review.RatingCount,
        favorite.FavoriteRemoved,
    }
    assert declared_shapes(*MODULES) - set(rows) - dict_shaped == set()


def test_audience_is_the_shape_not_the_url(app):
    row = factories.make_notice()
    for url in ("/v1/notice/list", "/v2/notice/list", "/cms/notice/list"):
        with app.test_request_context(url):
            customer = notice.Notice.serialize(row)
            admin = notice.AdminNotice.serialize(row)
            assert customer["create_time"] == row.create_time
            assert admin["create_time"] == format_time(row.create_time)
            assert list(admin)[: len(customer)] == list(customer)
            assert (admin["status"], admin["create_by"]) == (row.status, row.create_by)


def test_admin_view_keeps_fields_and_formats_times(app):
    placed = factories.make_order(factories.make_user(), (factories.make_product(), 1))
    with app.test_request_context("/v1/order"):
        customer = order.OrderSummary.serialize(placed)
        admin = admin_view(order.OrderSummary).serialize(placed)
    assert list(customer) == list(admin)
    zone = current_app.config.get("TIMEZONE")
    assert zone and admin["create_time"] == format_time(placed.create_time)
    assert admin["pay_time"] is None and customer["pay_time"] is None
    assert admin_view(order.OrderSummary).audience == ADMIN


def test_money_is_exact_text():
    field = Money()
    assert field._serialize(Decimal("0.10"), "price", None) == "0.10"
    assert field._serialize(Decimal("12345678.99"), "price", None) == "12345678.99"
    assert field._serialize("7.05", "price", None) == "7.05"  # snapshot text passes through
    assert field._serialize(None, "price", None) == "0.00"


def test_order_money_and_snapshot_render_as_before(app):
    placed = factories.make_order(factories.make_user(), (factories.make_product(price="0.10"), 3))
    placed = db.session.get(Order, placed.id)
    with app.test_request_context("/", base_url="http://shop.example"):
        data = order.OrderDetail.serialize(placed)
    assert data["total_price"] == "0.30"
    assert data["snap_items"][0]["price"] == "0.10"
    assert data["snap_items"][0]["total_price"] == "0.30"
    assert set(data["snap_address"]) == {"name", "mobile", "province", "city", "country", "detail"}


def test_text_answers_empty_for_missing_and_null():
    assert order.SnapAddress.serialize({"name": None, "mobile": 13900000000}) == {
        "name": "",
        "mobile": "13900000000",
        "province": "",
        "city": "",
        "country": "",
        "detail": "",
    }
    assert Text()._serialize(None, "x", None) == ""


def test_me_never_exposes_secrets(app):
    customer = factories.make_user(username="bob", mobile="13900000001")
    with app.test_request_context("/v1/user"):
        data = user.Me.serialize(customer)
    assert not any("password" in key or "token" in key for key in data)
    assert "delete_time" not in data and "active" not in data


def test_collections_are_named_once_per_shape():
    assert Items(product.ProductSummary) is Items(product.ProductSummary)
    assert Page(notice.AdminNotice).__name__ == "AdminNoticePage"
    assert Page(notice.AdminNotice).audience == ADMIN
