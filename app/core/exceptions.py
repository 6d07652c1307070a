"""API exceptions: one class per error code of code.md."""

from werkzeug.exceptions import HTTPException


class APIException(HTTPException):
    """An error answered as {error_code, msg, request_url} with its HTTP status."""

    code = 500  # HTTP status
    error_code = 999
    msg = "Internal server error"

    def __init__(
        self, msg: str | None = None, *, errors=None, detail=None, code=None, headers=None
    ):
        self.msg = msg or self.msg
        self.errors = errors
        self.detail = detail
        self.extra_headers = headers or {}
        if code is not None:
            self.code = code
        super().__init__(self.msg)

    def body(self, request_url: str) -> dict:
        body = {"error_code": self.error_code, "msg": self.msg, "request_url": request_url}
        if self.errors is not None:
            body["errors"] = self.errors
        if self.detail is not None:
            body["detail"] = self.detail
        return body


def _define(name: str, http: int, error_code: int, msg: str) -> type[APIException]:
    return type(name, (APIException,), {"code": http, "error_code": error_code, "msg": msg})


# General
ServerError = _define("ServerError", 500, 999, "Internal server error")
ParameterException = _define("ParameterException", 400, 1000, "Invalid parameters")
NotFound = _define("NotFound", 404, 1001, "Resource not found")
InvalidToken = _define("InvalidToken", 401, 1002, "Invalid token")
ExpiredToken = _define("ExpiredToken", 401, 1003, "Token expired")
Forbidden = _define("Forbidden", 403, 1004, "Permission denied")
AuthFailed = _define("AuthFailed", 401, 1005, "Account or password is wrong")
ClientTypeError = _define("ClientTypeError", 400, 1006, "Unsupported login type")
HTTPError = _define("HTTPError", 400, 1007, "Bad request")
TooManyRequests = _define("TooManyRequests", 429, 1008, "Too many requests, try again later")
ServiceUnavailable = _define("ServiceUnavailable", 503, 1009, "Service temporarily unavailable")
Conflict = _define("Conflict", 409, 1010, "The resource was changed by another request, try again")
ValueOutOfRange = _define(
    "ValueOutOfRange", 400, 1015, "A value is too large or too long to be stored"
)
Duplicated = _define("Duplicated", 409, 2001, "Duplicate data")


def body_too_large() -> APIException:
    """The one 413 answer for any body over a limit (JSON_MAX_LENGTH, MAX_CONTENT_LENGTH)."""
    return HTTPError("Request body is too large", code=413)


# Files and images
FileException = _define("FileException", 400, 10300, 'No file was uploaded in field "file"')
FileTooLarge = _define("FileTooLarge", 413, 10310, "File is too large")
FileTooMany = _define("FileTooMany", 413, 10320, "Too many files in one request")
FileTypeNotAllowed = _define("FileTypeNotAllowed", 415, 10330, "File type is not allowed")
FileContentMismatch = _define(
    "FileContentMismatch", 415, 10340, "File content does not match its type"
)
StorageError = _define("StorageError", 500, 10350, "File storage failed")
FileNotFound = _define("FileNotFound", 404, 10360, "File or folder not found")
InvalidFileMove = _define(
    "InvalidFileMove",
    400,
    10370,
    "A folder cannot be moved or copied into itself, and the target must be a folder",
)
ImageNotFound = _define("ImageNotFound", 404, 10380, "Image not found")
ImageInUse = _define("ImageInUse", 409, 10390, "Image is still used by the catalog")

# Login methods and tokens
AtLeastOneLoginMethod = _define(
    "AtLeastOneLoginMethod", 400, 11010, "Cannot unbind: at least one login method must remain"
)
WeChatCodeInvalid = _define(
    "WeChatCodeInvalid", 400, 11020, "WeChat login code is invalid or already used"
)
WeChatUnavailable = _define(
    "WeChatUnavailable", 502, 11030, "WeChat service is unavailable, try again later"
)
WeChatNotConfigured = _define("WeChatNotConfigured", 503, 11040, "WeChat login is not configured")
RefreshTokenInvalid = _define(
    "RefreshTokenInvalid", 401, 11050, "Refresh token is invalid or expired"
)
RefreshTokenReused = _define(
    "RefreshTokenReused", 401, 11060, "Refresh token was already used; please log in again"
)
LoginMethodNotBound = _define("LoginMethodNotBound", 404, 11070, "This login method is not bound")

# Users
UserNotFound = _define("UserNotFound", 404, 20010, "User not found")
AccountDisabled = _define("AccountDisabled", 403, 20020, "Account is disabled")
ProtectedUser = _define(
    "ProtectedUser", 403, 20030, "This action is not allowed on yourself or on a super admin"
)
WrongOldPassword = _define("WrongOldPassword", 400, 20040, "Old password is wrong")

# Catalog
ProductNotFound = _define("ProductNotFound", 404, 30010, "Product not found or not on sale")
ImageReorderError = _define(
    "ImageReorderError", 400, 30020, "These image positions cannot be reordered"
)
ProductImageNotFound = _define(
    "ProductImageNotFound", 404, 30030, "Image is not attached to this product"
)
ProductPropertyNotFound = _define(
    "ProductPropertyNotFound", 404, 30040, "Product property not found"
)
SkuNotFound = _define("SkuNotFound", 404, 30060, "SKU not found, or not on sale")
SkuRequired = _define(
    "SkuRequired", 400, 30061, "This product has several SKUs: choose one with sku_id"
)
StockBelowZero = _define(
    "StockBelowZero", 409, 30062, "The stock cannot go below zero or over its bound"
)
CategoryNotFound = _define("CategoryNotFound", 404, 31010, "Category not found")
CategoryInUse = _define("CategoryInUse", 409, 31020, "Category still has products")
BannerNotFound = _define("BannerNotFound", 404, 40010, "Banner not found")
BannerItemNotFound = _define("BannerItemNotFound", 404, 40020, "Banner item not found")
ThemeNotFound = _define("ThemeNotFound", 404, 41010, "Theme not found")
ProductNotInTheme = _define("ProductNotInTheme", 404, 41020, "Product is not in this theme")

# Cart
CartItemNotFound = _define("CartItemNotFound", 404, 33010, "Cart line not found")
CartFull = _define("CartFull", 400, 33011, "The cart is full")
CartSkuRequired = _define(
    "CartSkuRequired", 400, 33012, "This product has several SKUs: choose one with sku_id"
)
CartSkuNotFound = _define(
    "CartSkuNotFound", 404, 33013, "SKU not found in this product, or not on sale"
)
CartItemUnavailable = _define(
    "CartItemUnavailable", 409, 33014, "No unit of this product can be put in the cart now"
)

# Reviews
ReviewNotFound = _define("ReviewNotFound", 404, 35010, "Review not found")
ReviewLineNotFound = _define("ReviewLineNotFound", 404, 35020, "Order line not found")
ReviewNotAllowed = _define("ReviewNotAllowed", 409, 35030, "This order line cannot be reviewed now")
ReviewDuplicated = _define(
    "ReviewDuplicated", 409, 35040, "This order line has already been reviewed"
)
ContentRefused = _define(
    "ContentRefused",
    400,
    35050,
    "The text is not allowed (blocked words or WeChat's content check)",
)
ReviewImageInvalid = _define(
    "ReviewImageInvalid", 400, 35060, "An image is not one you uploaded for a review"
)
ReviewReplied = _define("ReviewReplied", 409, 35070, "This review already has a reply")

# Favourites and footprints
FavoriteNotFound = _define(
    "FavoriteNotFound", 404, 36010, "This product is not among your favourites"
)
FootprintNotFound = _define("FootprintNotFound", 404, 36020, "Footprint not found")

# Orders
OrderNotFound = _define("OrderNotFound", 404, 50010, "Order not found")
OutOfStock = _define("OutOfStock", 409, 50020, "Some products are out of stock")
OrderStatusConflict = _define(
    "OrderStatusConflict", 409, 50030, "The order's status does not allow this action"
)
OrderExpired = _define("OrderExpired", 409, 50040, "The order has expired")
IdempotencyConflict = _define(
    "IdempotencyConflict", 409, 50050, "This Idempotency-Key was used for a different request"
)
OrderTotalTooLarge = _define(
    "OrderTotalTooLarge", 400, 50060, "The order total is more than one order can hold"
)

# After-sales
AfterSaleNotFound = _define("AfterSaleNotFound", 404, 53010, "After-sale not found")
AfterSaleLineNotFound = _define(
    "AfterSaleLineNotFound", 404, 53020, "Order line not found in this order"
)
AfterSaleNotAllowed = _define(
    "AfterSaleNotAllowed", 409, 53030, "This order cannot have an after-sale now"
)
AfterSaleLineBusy = _define(
    "AfterSaleLineBusy", 409, 53040, "An open after-sale already holds this order line"
)
AfterSaleCountTooLarge = _define(
    "AfterSaleCountTooLarge", 409, 53050, "More units than the line has left to refund"
)
AfterSaleStatusConflict = _define(
    "AfterSaleStatusConflict", 409, 53060, "The after-sale's status does not allow this action"
)
AfterSaleImageInvalid = _define(
    "AfterSaleImageInvalid", 400, 53070, "An image is not one you uploaded"
)
AfterSaleOpen = _define(
    "AfterSaleOpen", 409, 53080, "The order has an open after-sale: decide it first"
)
RefundExceedsPaid = _define(
    "RefundExceedsPaid", 409, 53090, "The refund would give back more than was paid"
)

# Addresses
AddressNotFound = _define("AddressNotFound", 404, 60010, "Address not found")
AddressLimitReached = _define("AddressLimitReached", 400, 60020, "Address book is full")
NoDeliveryAddress = _define(
    "NoDeliveryAddress", 400, 60030, "Add a delivery address before placing an order"
)

# Payment
PayNotConfigured = _define("PayNotConfigured", 503, 70010, "WeChat Pay is not configured")
PayerNotWeChatUser = _define("PayerNotWeChatUser", 400, 70020, "Log in with WeChat to pay")
WeChatPayError = _define("WeChatPayError", 502, 70030, "WeChat Pay request failed")
NotifySignatureInvalid = _define(
    "NotifySignatureInvalid", 401, 70040, "Notification signature is invalid"
)
NotifyDataMismatch = _define(
    "NotifyDataMismatch",
    400,
    70050,
    "Notification does not match the order (app id, merchant id or amount)",
)
NotifyOrderUnknown = _define(
    "NotifyOrderUnknown", 404, 70060, "Notification is for an unknown order"
)

# WeChat platform
OutboxMessageNotFound = _define("OutboxMessageNotFound", 404, 71020, "Outbox message not found")
OutboxNotRetryable = _define(
    "OutboxNotRetryable", 409, 71030, "Only a dead outbox message can be retried"
)
# Reconciliation
ReconcileReportNotFound = _define(
    "ReconcileReportNotFound", 404, 72010, "Reconciliation report not found"
)
TradeBillUnavailable = _define(
    "TradeBillUnavailable", 502, 72020, "The WeChat Pay trade bill cannot be fetched"
)
TradeBillHashMismatch = _define(
    "TradeBillHashMismatch", 502, 72030, "The downloaded trade bill does not match its hash"
)
TradeBillMalformed = _define("TradeBillMalformed", 502, 72040, "The trade bill cannot be read")

# CMS system
GroupNotFound = _define("GroupNotFound", 404, 80010, "Permission group not found")
GroupNotEmpty = _define("GroupNotEmpty", 409, 80020, "The group still has users")
PermissionNotFound = _define("PermissionNotFound", 404, 80030, "Permission not found")
RouteNotFound = _define("RouteNotFound", 404, 80040, "Route not found")
ElementNotFound = _define("ElementNotFound", 404, 80050, "Page element not found")
InvalidRouteTree = _define(
    "InvalidRouteTree",
    400,
    80060,
    "Route tree is invalid (an id is repeated, or a route would be placed under itself)",
)
ArticleNotFound = _define("ArticleNotFound", 404, 81010, "Article not found")
NoticeNotFound = _define("NoticeNotFound", 404, 82010, "Notice not found")
DictTypeNotFound = _define("DictTypeNotFound", 404, 83010, "Dictionary type not found")
DictNotFound = _define("DictNotFound", 404, 83020, "Dictionary entry not found")
ConfigNotFound = _define("ConfigNotFound", 404, 84010, "Config parameter not found")
ConfigProtected = _define(
    "ConfigProtected",
    403,
    84020,
    "Built-in config parameters cannot be deleted, re-keyed or re-typed",
)
ConfigValueInvalid = _define(
    "ConfigValueInvalid", 400, 84030, "Value does not match the parameter's type"
)
LogNotFound = _define("LogNotFound", 404, 85010, "Log entry not found")

# Coupons
CouponNotFound = _define("CouponNotFound", 404, 52010, "Coupon not found")
CouponQuantityTooLow = _define(
    "CouponQuantityTooLow", 400, 52011, "The quantity cannot be below what was already claimed"
)
CouponKindMismatch = _define(
    "CouponKindMismatch", 409, 52012, "This action does not apply to this kind of coupon"
)
CouponSoldOut = _define("CouponSoldOut", 409, 52020, "This coupon has all been claimed")
CouponLimitReached = _define(
    "CouponLimitReached", 409, 52030, "You already hold as many of this coupon as one customer may"
)
CouponNotClaimable = _define("CouponNotClaimable", 409, 52040, "This coupon cannot be claimed now")
CouponOff = _define("CouponOff", 409, 52050, "This coupon is switched off")
UserCouponNotFound = _define("UserCouponNotFound", 404, 52060, "Coupon not found among yours")
CouponNotUsable = _define("CouponNotUsable", 409, 52070, "This coupon cannot be used on this order")
CouponCodeNotFound = _define("CouponCodeNotFound", 404, 52080, "Redeem code not found")
CouponCodeUsed = _define("CouponCodeUsed", 409, 52090, "This redeem code has already been used")
# Stats
StatsRangeInvalid = _define(
    "StatsRangeInvalid", 400, 90010, "The date range is reversed or longer than allowed"
)
# Data import and export
ImportFileInvalid = _define(
    "ImportFileInvalid",
    400,
    90050,
    "Send one XLSX file (part `file`) in the template layout",
)
ImportTooLarge = _define("ImportTooLarge", 413, 90060, "The import file has too many rows or bytes")
ImportRowsInvalid = _define(
    "ImportRowsInvalid", 400, 90070, "Some rows are invalid; nothing was imported"
)


def all_exceptions() -> list[type[APIException]]:
    """Every concrete exception class, in code order."""
    return sorted(
        (
            cls
            for cls in globals().values()
            if isinstance(cls, type) and issubclass(cls, APIException) and cls is not APIException
        ),
        key=lambda cls: cls.error_code,
    )
