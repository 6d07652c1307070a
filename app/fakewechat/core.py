"""What every route of the fake shares: its settings and in-memory state, answers, checks.

State lives in memory, one `FakeState` per app, and is lost on restart, like a test double.
WeChat Pay answers are signed with the platform key and merchant requests are checked against
the merchant key, so the server's own verification runs unchanged against the fake.
"""

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from flask import Response, current_app, request

from app.fakewechat import signing
from app.fakewechat.identity import Identity

logger = logging.getLogger("fakewechat")
ZONE = ZoneInfo("Asia/Shanghai")  # WeChat Pay times and bill days are China time
DEFAULT_RISKY_WORDS = ("forbidden", "违禁")


@dataclass(frozen=True)
class FakeSettings:
    identity: Identity
    base_url: str = "http://127.0.0.1:9100"  # where the server reaches the fake
    notify_to: str = ""  # origin notifications go to instead of the notify_url's own
    risky_words: tuple[str, ...] = DEFAULT_RISKY_WORDS
    refund_delay: float = 0.3  # seconds before a refund succeeds and is notified


@dataclass
class FakeState:
    lock: threading.RLock = field(default_factory=threading.RLock)
    calls: list = field(default_factory=list)
    tokens: dict = field(default_factory=dict)  # access token -> expiry (Unix seconds)
    trades: dict = field(default_factory=dict)  # out_trade_no -> transaction
    refunds: dict = field(default_factory=dict)  # out_refund_no -> refund
    bills: dict = field(default_factory=dict)  # download token -> file bytes
    sequence: int = 0

    def next_number(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence


@dataclass(frozen=True)
class Fake:
    settings: FakeSettings
    state: FakeState

    @property
    def identity(self) -> Identity:
        return self.settings.identity


def fake() -> Fake:
    return current_app.extensions["fakewechat"]


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, ZONE).isoformat(timespec="seconds")


def local_text(ts: float, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ts, ZONE).strftime(pattern)


# ------------------------------------------------------------------ requests and answers


def body_json():
    """The request body as JSON, None when it is empty or not JSON."""
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        return None


def record_call() -> None:
    """Keep every API call (not the control routes) for GET /_fake/calls."""
    if request.path.startswith("/_fake/"):
        return
    entry = {
        "method": request.method,
        "path": request.path,
        "query": {key: value for key, value in request.args.items() if key != "secret"},
        "body": body_json(),
        "time": time.time(),
    }
    state = fake().state
    with state.lock:
        state.calls.append(entry)


def json_answer(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")


def pay_answer(data, status: int = 200) -> Response:
    """A WeChat Pay answer signed with the platform key (a 204 carries no body)."""
    text = "" if data is None else json.dumps(data, ensure_ascii=False)
    response = Response(text, status, mimetype="application/json")
    response.headers.update(signing.signed_headers(fake().identity, text))
    response.headers["Request-ID"] = secrets.token_hex(16)
    return response


def pay_error(status: int, code: str, message: str) -> Response:
    return pay_answer({"code": code, "message": message}, status)


def merchant_refusal() -> Response | None:
    """401 SIGN_ERROR unless the request carries a valid merchant signature."""
    # The merchant signed the path as sent (still percent-encoded), not Flask's decoded one.
    path = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not path:
        path = request.full_path if request.query_string else request.path
    problem = signing.merchant_request_error(
        fake().identity,
        request.headers.get("Authorization", ""),
        request.method,
        path,
        request.get_data(),
    )
    return pay_error(401, "SIGN_ERROR", problem) if problem else None


def token_refusal() -> Response | None:
    """errcode 40001 unless `access_token` is one the fake issued and still valid."""
    state = fake().state
    with state.lock:
        expiry = state.tokens.get(request.args.get("access_token", ""))
    if expiry is None or expiry < time.time():
        return json_answer({"errcode": 40001, "errmsg": "invalid credential: access_token"})
    return None


# ------------------------------------------------------------------ notifications


def notify_target(settings: FakeSettings, url: str) -> str:
    """Where a notification for `url` goes: to --notify-to's origin when it is set."""
    if not settings.notify_to:
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return settings.notify_to.rstrip("/") + parts.path + query


def send_notification(
    settings: FakeSettings, url: str, event_type: str, resource_type: str, resource: dict
) -> dict:
    """POST a signed, encrypted notification; answer where it went and what came back."""
    headers, body = signing.notification(settings.identity, event_type, resource_type, resource)
    target = notify_target(settings, url)
    try:
        answer = requests.post(target, data=body.encode(), headers=headers, timeout=10)
    except requests.RequestException as error:
        logger.warning("notification %s to %s failed: %s", event_type, target, error)
        return {"url": target, "status": None, "error": str(error)}
    logger.info("notification %s to %s: %s", event_type, target, answer.status_code)
    return {"url": target, "status": answer.status_code, "body": answer.text[:500]}
