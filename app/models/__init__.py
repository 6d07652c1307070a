"""All models, imported so that metadata and migrations see every table."""

from app.models.access import Auth, Element, Group, Permission, Route, group_2_element, menu
from app.models.aftersale import AfterSale, AfterSaleEvent, AfterSaleLine, AfterSaleStatus
from app.models.cart import CartItem
from app.models.catalog import (
    Banner,
    BannerItem,
    Category,
    Image,
    Product,
    ProductImage,
    ProductProperty,
    ProductSpec,
    Sku,
    Theme,
    theme_product,
)
from app.models.content import Article, Notice
from app.models.coupon import Coupon, CouponCode, CouponStatus, UserCoupon
from app.models.favorite import Favorite, Footprint
from app.models.log import ErrorLog, LoginLog, OperLog
from app.models.order import (
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderProduct,
    OrderStatus,
    Payment,
    Refund,
)
from app.models.outbox import OutboxMessage, WeChatAccessToken
from app.models.reconcile import ReconcileDay, ReconcileItem
from app.models.review import Review, ReviewImage
from app.models.search import SearchHistory
from app.models.stats import StatsDay, StatsProductDay
from app.models.system import Config, Dict, DictType, File
from app.models.user import Address, Identity, RefreshToken, User

__all__ = [
    "Address",
    "AfterSale",
    "AfterSaleEvent",
    "AfterSaleLine",
    "AfterSaleStatus",
    "Article",
    "Auth",
    "Banner",
    "BannerItem",
    "CartItem",
    "Category",
    "Config",
    "Coupon",
    "CouponCode",
    "CouponStatus",
    "Dict",
    "DictType",
    "Element",
    "ErrorLog",
    "Favorite",
    "File",
    "Footprint",
    "Group",
    "IdempotencyKey",
    "Identity",
    "Image",
    "LoginLog",
    "Notice",
    "OperLog",
    "Order",
    "OrderEvent",
    "OrderProduct",
    "OrderStatus",
    "OutboxMessage",
    "Payment",
    "Permission",
    "Product",
    "ProductImage",
    "ProductProperty",
    "ProductSpec",
    "ReconcileDay",
    "ReconcileItem",
    "RefreshToken",
    "Refund",
    "Review",
    "ReviewImage",
    "Route",
    "SearchHistory",
    "Sku",
    "StatsDay",
    "StatsProductDay",
    "Theme",
    "User",
    "UserCoupon",
    "WeChatAccessToken",
    "group_2_element",
    "menu",
    "theme_product",
]
