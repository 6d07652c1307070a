"""The WeChat platform calls a shop makes besides login and payment, one module per job:

    http       one HTTP exchange with WECHAT_API_BASE, WeChatUnreachable / WeChatError
    token      the shared access token (stable_token, Redis or database, one refresher) and
               `call`, an API call that refreshes a refused token once
    outbox     the durable outbox: rows written with the business change, `run_outbox` sends
    shipping   delivery companies, carrier check, the shipping upload of a delivered order
    messages   subscription messages on order events, templates from config parameters
    security   msg_sec_check: refused texts are 400 / 35050

The order workflows call `shipping.queue_upload` and `messages.queue_*` inside their own
transactions; nothing here imports the order workflows.
"""

from app.services.wechat_platform import http, messages, outbox, security, shipping, token
from app.services.wechat_platform.http import WeChatError, WeChatUnreachable, is_configured
from app.services.wechat_platform.outbox import outbox_query, retry_dead, run_outbox

__all__ = [
    "WeChatError",
    "WeChatUnreachable",
    "http",
    "is_configured",
    "messages",
    "outbox",
    "outbox_query",
    "retry_dead",
    "run_outbox",
    "security",
    "shipping",
    "token",
]
