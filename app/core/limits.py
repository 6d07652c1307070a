"""Named rate limits (values from config, keyed per IP or per user), for the views to wear.

Flask-Limiter evaluates a decorated limit when the decorated function is called, i.e. inside the
access decorators of app.core.auth, so per-user keys see the authenticated user.

Login has three limits: `limit_login` (RATELIMIT_LOGIN per IP, every attempt counts) on the view,
and two counting failed attempts only, applied by the login service (and by the password change,
whose wrong old passwords count as failed logins of the same account):

- RATELIMIT_LOGIN_FAILED_ACCOUNT_IP per (account, IP): the low limit that stops a guesser at
  one address, while the owner from any other address still gets in;
- RATELIMIT_LOGIN_FAILED_ACCOUNT per account from every address: a higher ceiling against
  guessing spread over many addresses.

Each may list several windows ("5/minute;20/hour"): a caller who keeps failing meets the longer
window next, so the wait grows (back-off) instead of starting over every minute.

    user = find_user_by_account(client_type, account)
    check_login_failures(account, user)       # 429 while the account (or this pair) is locked
    if user is None or not user.check_password(secret):
        count_login_failure(account, user)
        ...

The payment notify routes count, per IP, only notifications that fail verification
(`count_notify_failure`); a verified notification is never refused.
"""

import logging
import time

from flask import current_app
from limits import parse_many

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
# A redeem answers whether a code exists: throttled per user against guessing.
limit_redeem = limiter.limit(_config("RATELIMIT_REDEEM"), key_func=_user_key)
# Changing an identifier answers whether it is taken: throttled per user and per IP, one
# counter each for all the routes wearing them.
limit_identifier = limiter.shared_limit(
    _config("RATELIMIT_IDENTIFIER"), "identifier", key_func=_user_key
)
limit_identifier_ip = limiter.shared_limit(
    _config("RATELIMIT_IDENTIFIER_IP"), "identifier-ip", key_func=client_ip
)


# ------------------------------------------------- failed logins per account

_FAILED_LOGIN_SCOPE = "login-failed"
_FAILED_NOTIFY_SCOPE = "notify-failed"
logger = logging.getLogger("mini_shop.limits")


def _account_key(account: str, user) -> str:
    # A known account is keyed by its user (any identifier of it counts); an unknown one by
    # what was typed, so unknown and known accounts behave alike (no enumeration).
    if user is not None:
        return f"user:{user.id}"
    return f"account:{(account or '').strip().lower()[:100]}"


def _limits(setting: str) -> list:
    if not limiter.enabled or not limiter.initialized:
        return []
    return parse_many(current_app.config[setting])


def _failed_login_counters(account: str, user) -> list[tuple]:
    """(limit, key) pairs counting failed logins: per (account, IP), then per account."""
    key = _account_key(account, user)
    pair = f"{key}|ip:{client_ip()}"
    return [(item, pair) for item in _limits("RATELIMIT_LOGIN_FAILED_ACCOUNT_IP")] + [
        (item, key) for item in _limits("RATELIMIT_LOGIN_FAILED_ACCOUNT")
    ]


def _retry_after(item, scope: str, key: str) -> int:
    reset_at = limiter.limiter.get_window_stats(item, scope, key)[0]
    return max(1, int(reset_at - time.time()) + 1)


def check_login_failures(account: str, user=None) -> None:
    """429 while the account, or the account from this IP, has used up its failed logins."""
    waits = []
    try:
        for item, key in _failed_login_counters(account, user):
            if not limiter.limiter.test(item, _FAILED_LOGIN_SCOPE, key):
                waits.append(_retry_after(item, _FAILED_LOGIN_SCOPE, key))
    except Exception:  # storage down: fail open like the decorated limits (SWALLOW_ERRORS)
        logger.warning("rate-limit storage unavailable; failed-login check skipped", exc_info=True)
        return
    if waits:
        raise TooManyRequests(headers={"Retry-After": str(max(waits))})


def count_login_failure(account: str, user=None) -> None:
    """Record one failed login for the account and IP (successful logins are never counted)."""
    try:
        for item, key in _failed_login_counters(account, user):
            limiter.limiter.hit(item, _FAILED_LOGIN_SCOPE, key)
    except Exception:
        logger.warning("rate-limit storage unavailable; failed login not counted", exc_info=True)


def count_notify_failure() -> int | None:
    """Count a notification from this IP that failed verification; answer the seconds to wait
    when the IP is over RATELIMIT_NOTIFY_FAILED, else None."""
    key = f"ip:{client_ip()}"
    waits = []
    try:
        for item in _limits("RATELIMIT_NOTIFY_FAILED"):
            if not limiter.limiter.hit(item, _FAILED_NOTIFY_SCOPE, key):
                waits.append(_retry_after(item, _FAILED_NOTIFY_SCOPE, key))
    except Exception:
        logger.warning("rate-limit storage unavailable; notify failure not counted", exc_info=True)
        return None
    return max(waits) if waits else None
