"""The mini-program side of WeChat: login codes, access tokens, shipping, messages, checks."""

import hashlib
import secrets
import time

from flask import Blueprint, request

from app.fakewechat.core import body_json, fake, json_answer, token_refusal

bp = Blueprint("mp", __name__)

TOKEN_SECONDS = 7200
# The delivery-company list: a few of WeChat's carrier codes with their names.
DELIVERY_COMPANIES = (
    ("SF", "顺丰速运"),
    ("ZTO", "中通快递"),
    ("YTO", "圆通速递"),
    ("STO", "申通快递"),
    ("YD", "韵达速递"),
    ("JD", "京东物流"),
    ("EMS", "中国邮政速递物流"),
)


def openid_for(app_id: str, code: str) -> str:
    """The openid a wx.login code stands for: the same code, the same customer."""
    return "o" + hashlib.sha256(f"{app_id}:{code}".encode()).hexdigest()[:27]


def _app_refusal(app_id, secret):
    identity = fake().identity
    if app_id != identity.app_id:
        return json_answer({"errcode": 40013, "errmsg": "invalid appid"})
    if secret != identity.app_secret:
        return json_answer({"errcode": 40125, "errmsg": "invalid appsecret"})
    return None


@bp.get("/sns/jscode2session")
def jscode2session():
    """Any code logs in (the same code, the same openid) except one starting with "invalid"."""
    refused = _app_refusal(request.args.get("appid"), request.args.get("secret"))
    if refused:
        return refused
    code = request.args.get("js_code", "")
    if request.args.get("grant_type") != "authorization_code" or not code:
        return json_answer({"errcode": 40029, "errmsg": "invalid code"})
    if code.startswith("invalid"):
        return json_answer({"errcode": 40029, "errmsg": "invalid code"})
    return json_answer(
        {
            "openid": openid_for(fake().identity.app_id, code),
            "session_key": secrets.token_urlsafe(18),
        }
    )


@bp.post("/cgi-bin/stable_token")
def stable_token():
    """The same token until it nears expiry, unless force_refresh asks for a new one."""
    data = body_json()
    if not isinstance(data, dict) or data.get("grant_type") != "client_credential":
        return json_answer({"errcode": 40002, "errmsg": "invalid grant_type"})
    refused = _app_refusal(data.get("appid"), data.get("secret"))
    if refused:
        return refused
    state, now = fake().state, time.time()
    with state.lock:
        live = [token for token, expiry in state.tokens.items() if expiry > now + 300]
        if live and not data.get("force_refresh"):
            token = live[-1]
        else:
            token = secrets.token_urlsafe(48)
            state.tokens[token] = now + TOKEN_SECONDS
        expires_in = int(state.tokens[token] - now)
    return json_answer({"access_token": token, "expires_in": expires_in})


@bp.post("/wxa/sec/order/upload_shipping_info")
def upload_shipping_info():
    refused = token_refusal()
    if refused:
        return refused
    data = body_json()
    if not (isinstance(data, dict) and data.get("order_key") and data.get("shipping_list")):
        return json_answer({"errcode": 47001, "errmsg": "data format error"})
    return json_answer({"errcode": 0, "errmsg": "ok"})


@bp.post("/cgi-bin/message/subscribe/send")
def subscribe_send():
    refused = token_refusal()
    if refused:
        return refused
    data = body_json()
    if not (isinstance(data, dict) and data.get("touser") and data.get("template_id")):
        return json_answer({"errcode": 47003, "errmsg": "argument invalid!"})
    return json_answer({"errcode": 0, "errmsg": "ok", "msgid": fake().state.next_number()})


@bp.route("/cgi-bin/express/delivery/open_msg/get_delivery_list", methods=["GET", "POST"])
def delivery_list():
    refused = token_refusal()
    if refused:
        return refused
    companies = [{"delivery_id": code, "delivery_name": name} for code, name in DELIVERY_COMPANIES]
    return json_answer(
        {"errcode": 0, "errmsg": "ok", "delivery_list": companies, "count": len(companies)}
    )


@bp.post("/wxa/msg_sec_check")
def msg_sec_check():
    """Version 2: a text containing one of the configured words is risky, anything else passes."""
    refused = token_refusal()
    if refused:
        return refused
    data = body_json()
    if not (
        isinstance(data, dict)
        and isinstance(data.get("content"), str)
        and data.get("version") == 2
        and data.get("openid")
        and data.get("scene") in (1, 2, 3, 4)
    ):
        return json_answer({"errcode": 47001, "errmsg": "data format error"})
    hits = [word for word in fake().settings.risky_words if word and word in data["content"]]
    suggest, label = ("risky", 20006) if hits else ("pass", 100)
    detail = [{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label}]
    if hits:
        detail.append(
            {
                "strategy": "keyword",
                "errcode": 0,
                "suggest": "risky",
                "label": label,
                "level": 90,
                "keyword": hits[0],
            }
        )
    return json_answer(
        {
            "errcode": 0,
            "errmsg": "ok",
            "result": {"suggest": suggest, "label": label},
            "detail": detail,
            "trace_id": secrets.token_hex(12),
        }
    )
