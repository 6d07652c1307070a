"""Content security: msg_sec_check v2 bodies and verdicts, refused texts, WeChat down (fail
open or closed), texts that cannot be checked."""

import json

import pytest
import requests
import responses

from app.core.exceptions import ContentRefused, WeChatUnavailable
from app.services.wechat_platform import security
from tests.factories import MSG_SEC_CHECK_URL, answer_stable_token, make_user, make_wechat_user


def _verdict(suggest, label=100, **extra):
    return {
        "errcode": 0,
        "errmsg": "ok",
        "result": {"suggest": suggest, "label": label},
        "detail": [],
        "trace_id": "trace-1",
        **extra,
    }


@pytest.fixture
def wx(wx):
    answer_stable_token(wx, "ACCESS-1")
    return wx


def _checks(mock) -> list[dict]:
    return [
        json.loads(call.request.body)
        for call in mock.calls
        if call.request.url.startswith(MSG_SEC_CHECK_URL)
    ]


def test_check_text_sends_version_2_with_openid_and_scene(wx):
    wx.add(responses.POST, MSG_SEC_CHECK_URL, json=_verdict("pass"))
    verdict = security.check_text("你好", openid="o-author", scene=security.SCENE_COMMENT)
    assert verdict == security.TextVerdict("pass", 100, "trace-1") and not verdict.refused
    assert _checks(wx) == [{"content": "你好", "version": 2, "scene": 2, "openid": "o-author"}]
    assert wx.calls[-1].request.params == {"access_token": "ACCESS-1"}


def test_risky_text_is_refused(wx):
    user = make_wechat_user("o-author")
    wx.add(responses.POST, MSG_SEC_CHECK_URL, json=_verdict("risky", 20001))
    with pytest.raises(ContentRefused) as raised:
        security.ensure_user_text_allowed(user.id, "bad", scene=1, fail_open=True)
    assert (raised.value.code, raised.value.error_code) == (400, 35050)


def test_first_version_risky_errcode_is_refused_too(wx):
    user = make_wechat_user("o-author")
    wx.add(responses.POST, MSG_SEC_CHECK_URL, json={"errcode": 87014, "errmsg": "risky content"})
    with pytest.raises(ContentRefused):
        security.ensure_user_text_allowed(user.id, "bad", scene=1, fail_open=True)


@pytest.mark.parametrize("suggest", ["pass", "review"])
def test_pass_and_review_are_accepted(wx, suggest):
    user = make_wechat_user("o-author")
    wx.add(responses.POST, MSG_SEC_CHECK_URL, json=_verdict(suggest))
    verdict = security.ensure_user_text_allowed(user.id, "fine", scene=1, fail_open=False)
    assert verdict.suggest == suggest


@pytest.mark.parametrize(
    "failure",
    [
        {"body": requests.ConnectionError("down")},
        {"status": 502},
        {"json": {"errcode": -1, "errmsg": "system error"}},
        {"json": {"errcode": 0, "result": {}}},
    ],
    ids=["unreachable", "http-502", "busy", "no-suggestion"],
)
def test_wechat_down_fails_open_or_closed_as_asked(wx, failure):
    user = make_wechat_user("o-author")
    wx.add(responses.POST, MSG_SEC_CHECK_URL, **failure)
    assert security.ensure_user_text_allowed(user.id, "x", scene=1, fail_open=True).suggest == (
        "unchecked"
    )
    with pytest.raises(WeChatUnavailable) as raised:
        security.ensure_user_text_allowed(user.id, "x", scene=2, fail_open=False)
    assert (raised.value.code, raised.value.error_code) == (502, 11030)


def test_text_of_a_user_without_openid_is_not_checked(wx):
    user = make_user()
    verdict = security.ensure_user_text_allowed(user.id, "x", scene=1, fail_open=False)
    assert verdict.suggest == "unchecked" and _checks(wx) == []


def test_nothing_is_checked_without_wechat(app):
    user = make_wechat_user("o-author")
    verdict = security.ensure_user_text_allowed(user.id, "x", scene=1, fail_open=False)
    assert verdict.suggest == "unchecked"


def test_nickname_check_fails_open_by_default(wx, app):
    assert app.config["CONTENT_CHECK_REVIEW_FAIL_OPEN"] is False
    assert app.config["CONTENT_CHECK_NICKNAME_FAIL_OPEN"] is True
    user = make_wechat_user("o-author")
    wx.add(responses.POST, MSG_SEC_CHECK_URL, body=requests.ConnectionError("down"))
    assert security.ensure_nickname_allowed(user.id, "小明").suggest == "unchecked"
    assert [body["scene"] for body in _checks(wx)] == [1]
