"""Helpers of the WeChat platform tests."""

import responses

from app.services.wechat_platform import run_outbox
from tests.factories import answer_stable_token


def sent_by_the_outbox(wx, url: str):
    """Let WeChat answer the token and `url` with success and run the outbox, which must send
    one row: the request WeChat got at `url`."""
    answer_stable_token(wx, "ACCESS-1")
    wx.add(responses.POST, url, json={"errcode": 0, "errmsg": "ok"})
    assert run_outbox()["sent"] == 1
    [call] = [c for c in wx.calls if c.request.url.startswith(url)]
    return call.request
