"""Named rate limits (values from config, keyed per IP or per user), for the views to wear.

Flask-Limiter evaluates a decorated limit when the decorated function is called, i.e. inside the
access decorators of app.core.auth, so per-user keys see the authenticated user.

Login has two limits: `limit_login` (RATELIMIT_LOGIN per IP, every attempt counts) on the view,
and RATELIMIT_LOGIN_FAILED_ACCOUNT per account, counting failed attempts only, applied by the
login service:

    user = find_user_by_account(client_type, account)
    check_login_failures(account, user)       # 429 while the account is locked
    if user is None or not user.check_password(secret):
        count_login_failure(account, user)
        ...
"""

import logging
import time

from flask import current_app
from limits import parse

from app.core.auth import current_user
from app.core.exceptions import TooManyRequests
from app.core.http import client_ip
from app.extensions import limiter


def _user_key() -> str:
    user = current_user()
    return f"user:{user.id}" if user is not None else f"ip:{client_ip()}"


def _config(key: str):
    return lambda: current_app.config[key]


limit_login = limiter.limit(_config("RATELIMIT_LOGIN"), key_func=client_ip)
limit_register = limiter.limit(_config("RATELIMIT_REGISTER"), key_func=client_ip)
limit_refresh = limiter.limit(_config("RATELIMIT_REFRESH"), key_func=client_ip)
limit_order = limiter.limit(_config("RATELIMIT_ORDER"), key_func=_user_key)
limit_prepay = limiter.limit(_config("RATELIMIT_PREPAY"), key_func=_user_key)
limit_upload = limiter.limit(_config("RATELIMIT_UPLOAD"), key_func=_user_key)


# ------------------------------------------------- failed logins per account

_FAILED_LOGIN_SCOPE = "login-failed"
logger = logging.getLogger("mini_shop.limits")


def _account_key(account: str, user) -> str:
    # A known account is keyed by its user (any identifier of it counts); an unknown one by
    # what was typed, so unknown and known accounts behave alike (no enumeration).
    if user is not None:
        return f"user:{user.id}"
    return f"account:{(account or '').strip().lower()[:100]}"


def _failed_limit():
    if not limiter.enabled or not limiter.initialized:
        return None
    return parse(current_app.config["RATELIMIT_LOGIN_FAILED_ACCOUNT"])


def check_login_failures(account: str, user=None) -> None:
    """429 when the account used up its failed-login allowance in the current window."""
    item = _failed_limit()
    if item is None:
        return
    key = _account_key(account, user)
    try:
        allowed = limiter.limiter.test(item, _FAILED_LOGIN_SCOPE, key)
        reset_at = (
            0 if allowed else limiter.limiter.get_window_stats(item, _FAILED_LOGIN_SCOPE, key)[0]
        )
    except Exception:  # storage down: fail open like the decorated limits (SWALLOW_ERRORS)
        logger.warning("rate-limit storage unavailable; failed-login check skipped", exc_info=True)
        return
    if not allowed:
        retry = max(1, int(reset_at - time.time()) + 1)
        raise TooManyRequests(headers={"Retry-After": str(retry)})


def count_login_failure(account: str, user=None) -> None:
    """Record one failed login for the account (successful logins are never counted)."""
    item = _failed_limit()
    if item is None:
        return
    try:
        limiter.limiter.hit(item, _FAILED_LOGIN_SCOPE, _account_key(account, user))
    except Exception:
        logger.warning("rate-limit storage unavailable; failed login not counted", exc_info=True)
