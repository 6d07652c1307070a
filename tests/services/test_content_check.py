"""The content check: the WeChat seam decides when it answers, else the keyword list."""

import json

import pytest
import requests
import responses
from sqlalchemy import select

from app.core.exceptions import ContentRefused, WeChatUnavailable
from app.extensions import db
from app.models import Config
from app.services import content_check
from app.services.content_check import Scene, check_text
from app.services.wechat_platform import security
from tests.factories import (
    MSG_SEC_CHECK_URL,
    answer_stable_token,
    make_wechat_user,
    wechat_configured,
)


def _words(value: str) -> None:
    row = db.session.scalar(select(Config).where(Config.key == content_check.BLOCKED_WORDS_KEY))
    row.value = value
    db.session.commit()


def test_keyword_list_refuses_a_blocked_word_in_any_disguise():
    _words('["刷单", "Spam"]')
    for text in ("来刷单吗", "刷 单", "刷-单!", "ＳＰＡＭ mail", "s p a m", "SpAm"):
        with pytest.raises(ContentRefused):
            check_text(text)
    check_text("正常的评价 spa")


def test_empty_text_and_an_empty_list_pass():
    _words("[]")
    check_text("任何内容")
    _words('["刷单"]')
    check_text("")
    check_text("   ")


def test_a_missing_parameter_blocks_nothing():
    db.session.query(Config).filter_by(key="shop.content.blocked_words").delete()
    db.session.commit()
    check_text("刷单")


def test_words_that_fold_to_nothing_block_nothing():
    _words('["  ", "!!", null, 3]')
    assert content_check.blocked_words() == []
    check_text("任何内容!!")


def test_wechat_verdict_decides_when_wechat_is_configured(app):
    """A risky verdict refuses a text the word list allows; a pass lets a listed word through
    (WeChat, when it can decide, is final); the check names the author and the scene."""
    _words('["刷单"]')
    author = make_wechat_user("o-author")
    with wechat_configured(app) as wx:
        answer_stable_token(wx)
        for suggest in ("risky", "pass"):
            wx.add(
                responses.POST,
                MSG_SEC_CHECK_URL,
                json={"errcode": 0, "result": {"suggest": suggest, "label": 100}},
            )
        with pytest.raises(ContentRefused):
            check_text("好评", openid=_openid(author), scene=Scene.COMMENT)
        check_text("刷单", openid=_openid(author), scene=Scene.COMMENT)
        checks = [
            json.loads(call.request.body) for call in wx.calls if "msg_sec" in call.request.url
        ]
    assert [(body["content"], body["scene"], body["openid"]) for body in checks] == [
        ("好评", 2, "o-author"),
        ("刷单", 2, "o-author"),
    ]


def test_wechat_down_refuses_reviews_unless_the_setting_fails_open(app):
    _words('["刷单"]')
    author = make_wechat_user("o-author")
    with wechat_configured(app) as wx:
        answer_stable_token(wx)
        wx.add(responses.POST, MSG_SEC_CHECK_URL, body=requests.ConnectionError("down"))
        with pytest.raises(WeChatUnavailable):
            check_text("好评", openid="o-author", scene=Scene.COMMENT)
        app.config["CONTENT_CHECK_REVIEW_FAIL_OPEN"] = True
        try:
            check_text("好评", openid="o-author", scene=Scene.COMMENT)
            with pytest.raises(ContentRefused):  # the word list decides instead
                check_text("刷单", openid="o-author", scene=Scene.COMMENT)
        finally:
            app.config["CONTENT_CHECK_REVIEW_FAIL_OPEN"] = False
    assert author.id


def test_without_wechat_or_openid_the_word_list_decides(app):
    assert content_check.wechat_verdict("x", openid="o", scene=Scene.COMMENT) is None
    with wechat_configured(app):
        assert content_check.wechat_verdict("x", openid=None, scene=Scene.COMMENT) is None


def _openid(user) -> str:
    return security.user_openid(user.id)
