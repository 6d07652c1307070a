"""Named rate limits (values from config, keyed per IP or per user), for the views to wear."""

from flask import current_app

from app.core.auth import current_user
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
