"""The content check: the WeChat seam decides when it answers, else the keyword list."""

import pytest
from sqlalchemy import select

from app.core.exceptions import ContentRefused
from app.extensions import db
from app.models import Config
from app.services import content_check
from app.services.content_check import Scene, Verdict, check_text


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


def test_a_wechat_verdict_is_final(monkeypatch):
    _words('["刷单"]')
    asked = []

    def wechat(text, *, openid, scene):
        asked.append((text, openid, scene))
        return Verdict(passed="刷单" in text)  # the opposite of the keyword list

    monkeypatch.setattr(content_check, "wechat_verdict", wechat)
    check_text("刷单", openid="openid-1", scene=Scene.COMMENT)
    with pytest.raises(ContentRefused):
        check_text("好评")
    assert asked == [("刷单", "openid-1", Scene.COMMENT), ("好评", None, Scene.COMMENT)]


def test_the_wechat_seam_answers_none_until_it_is_built(app):
    assert content_check.wechat_verdict("x", openid="o", scene=Scene.COMMENT) is None
