"""One HTTP exchange with the WeChat API (`WECHAT_API_BASE`), and the two ways it fails.

Bodies go out as UTF-8 JSON (Chinese text unescaped, as WeChat reads it best); answers are read
as JSON whatever their Content-Type says. WeChat answers errors with HTTP 200 and an `errcode`;
this module only tells "not reached" from "answered", the callers read `errcode`.
"""

import json

import requests
from flask import current_app


class WeChatUnreachable(Exception):
    """No usable answer: connection error, timeout, an HTTP status other than 200, or a body
    that is not a JSON object. Always worth trying again later."""


class WeChatError(Exception):
    """WeChat answered with a non-zero `errcode`."""

    def __init__(self, errcode: int, errmsg: str = "", body: dict | None = None):
        super().__init__(f"{errcode} {errmsg}".strip())
        self.errcode = errcode
        self.errmsg = errmsg
        self.body = body or {}


def is_configured() -> bool:
    """Whether the mini-program credentials are set (WX_APP_ID and WX_APP_SECRET)."""
    config = current_app.config
    return bool(config["WX_APP_ID"] and config["WX_APP_SECRET"])


def errcode_of(body: dict) -> int:
    """The answer's errcode: 0 when absent, -1 (WeChat's "system busy") when not a number."""
    try:
        return int(body.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1


def request_json(method: str, path: str, *, params=None, body=None) -> dict:
    """Send one request to `WECHAT_API_BASE + path`; answer the JSON object WeChat sent."""
    config = current_app.config
    url = config["WECHAT_API_BASE"].rstrip("/") + path
    data = None
    headers = {}
    if body is not None:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    try:
        response = requests.request(
            method, url, params=params, data=data, headers=headers, timeout=config["WX_TIMEOUT"]
        )
    except requests.RequestException as error:
        raise WeChatUnreachable(f"WeChat unreachable: {type(error).__name__}") from None
    if response.status_code != 200:
        raise WeChatUnreachable(f"WeChat answered HTTP {response.status_code}")
    try:
        answer = json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise WeChatUnreachable("WeChat answered something that is not JSON") from None
    if not isinstance(answer, dict):
        raise WeChatUnreachable("WeChat answered something that is not a JSON object")
    return answer
