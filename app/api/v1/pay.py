"""Pay: WeChat Pay pre-order, query and notifications."""

import logging
import traceback

from flask import Blueprint, jsonify, request

from app.api.resource import Resource, guarded
from app.core import metrics
from app.core.auth import current_user, login_required, public
from app.core.errors import record_error
from app.core.exceptions import (
    APIException,
    NotifyDataMismatch,
    NotifyOrderUnknown,
    NotifySignatureInvalid,
    OrderExpired,
    OrderNotFound,
    OrderStatusConflict,
    PayerNotWeChatUser,
    PayNotConfigured,
    TooManyRequests,
    WeChatPayError,
)
from app.core.http import client_ip
from app.core.limits import count_notify_failure, limit_prepay
from app.extensions import db
from app.schemas.order import OrderSummary
from app.schemas.pay import PayParameters, WechatFail, WechatNotification
from app.services import payment
from app.validators.order import PayOrderForm

bp = Blueprint("pay", __name__, url_prefix="/pay")
logger = logging.getLogger(__name__)

NOTIFY_RESPONSES = {
    "204": {"description": "Accepted (no body)"},
    "default": {"description": "Rejected, in the WeChat format", "schema": WechatFail},
}
_LOGGED = (NotifySignatureInvalid, NotifyDataMismatch, NotifyOrderUnknown)


mine = Resource(bp)
mine.view(
    "POST",
    "/pre_order",
    "pre_order",
    guarded(login_required, limit_prepay),
    "Get the wx.requestPayment parameters of my order",
    "Create (or reuse) the WeChat prepay of an unpaid order and sign it.",
    lambda form: payment.pre_order(current_user(), form.id.data),
    body=PayOrderForm,
    data=PayParameters,
    status=200,
    errors=[
        OrderNotFound,
        OrderStatusConflict,
        OrderExpired,
        PayerNotWeChatUser,
        PayNotConfigured,
        WeChatPayError,
        TooManyRequests,
    ],
)
mine.view(
    "POST",
    "/query",
    "query_payment",
    login_required,
    "Ask WeChat for my order's payment state",
    "Ask WeChat whether an unpaid order was paid, and apply it.",
    lambda form: payment.query_order(current_user(), form.id.data),
    body=PayOrderForm,
    data=OrderSummary,
    status=200,
    errors=[OrderNotFound, PayNotConfigured, WeChatPayError],
)


def _fail(message: str, status: int, headers: dict | None = None):
    response = jsonify({"code": "FAIL", "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _wechat_answer(handler):
    """Run a notification handler; answer 204, or WeChat's {"code": "FAIL"} format.

    A refused notification is a client error: a warning line, never an error_log row. Per IP,
    only notifications failing verification count against RATELIMIT_NOTIFY_FAILED; past it,
    unverifiable ones answer 429 (and are no longer logged), verified ones are still applied.
    """
    body = request.get_data(cache=True)
    try:
        handler(request.headers, body)
    except APIException as error:
        db.session.rollback()
        if isinstance(error, _LOGGED):
            metrics.notify_failed(request.path.rsplit("/", 1)[-1], type(error).__name__)
        if isinstance(error, NotifySignatureInvalid):
            wait = count_notify_failure()
            if wait is not None:
                return _fail(TooManyRequests.msg, 429, {"Retry-After": str(wait)})
        if isinstance(error, _LOGGED):
            logger.warning(
                "notification refused on %s from %s: %s (%s)",
                request.path,
                client_ip(),
                type(error).__name__,
                error.msg,
            )
        return _fail(error.msg, error.code)
    except Exception as error:  # WeChat retries on a 5xx
        db.session.rollback()
        logger.error("notification failed", exc_info=error)
        record_error(error, traceback.format_exc())
        return _fail("Internal server error", 500)
    return "", 204


notifications = Resource(bp, public=True)
notifications.view(
    "POST",
    "/notify",
    "pay_notify",
    public,
    "WeChat payment notification",
    "Apply a verified WeChat payment notification.",
    lambda: _wechat_answer(payment.handle_pay_notification),
    raw_body=WechatNotification,
    responses=NOTIFY_RESPONSES,
    status=200,
)
notifications.view(
    "POST",
    "/refund_notify",
    "refund_notify",
    public,
    "WeChat refund notification",
    "Apply a verified WeChat refund notification.",
    lambda: _wechat_answer(payment.handle_refund_notification),
    raw_body=WechatNotification,
    responses=NOTIFY_RESPONSES,
    status=200,
)
