"""The check a user's text passes before the shop shows it (review words, staff replies).

    check_text(text, openid=..., scene=Scene.COMMENT)

answers nothing when the text may be shown and raises ContentRefused (400 / 35050) when not.
Who decides:

1. the WeChat content-security check (`msg_sec_check`, see app.services.wechat_platform.security)
   when WeChat is configured and the author has a mini-program openid;
2. otherwise the keyword list of the `shop.content.blocked_words` config parameter (a JSON
   array of words, edited in the CMS). A word matches ignoring case, full-width forms, spaces
   and punctuation put between its characters.
"""

import enum
import unicodedata
from dataclasses import dataclass

from flask import current_app

from app.core.exceptions import ContentRefused, WeChatUnavailable
from app.services.config_params import config_value
from app.services.wechat_platform import http as wechat_http
from app.services.wechat_platform import security

BLOCKED_WORDS_KEY = "shop.content.blocked_words"
WORDS_MAX = 1000


class Scene(enum.IntEnum):
    """Where the text is shown (the scene values of WeChat's text check)."""

    PROFILE = 1
    COMMENT = 2
    FORUM = 3
    SOCIAL_LOG = 4


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str = ""


def check_text(text: str, *, openid: str | None = None, scene: Scene = Scene.COMMENT) -> None:
    """Raise ContentRefused unless `text` may be shown in `scene`; empty text always may."""
    if not text or not text.strip():
        return
    verdict = wechat_verdict(text, openid=openid, scene=scene)
    if verdict is None:
        verdict = keyword_verdict(text)
    if not verdict.passed:
        raise ContentRefused()


def wechat_verdict(text: str, *, openid: str | None, scene: Scene) -> Verdict | None:
    """The verdict of WeChat's content-security check of `text` by the user `openid` in
    `scene`, or None when WeChat cannot decide: not configured, no openid, or (with
    CONTENT_CHECK_REVIEW_FAIL_OPEN) not answering, so that the word list decides. With that
    setting off (the default) an outage refuses to store the text: 502 / 11030."""
    if not openid or not wechat_http.is_configured():
        return None
    try:
        answer = security.check_text(text, openid=openid, scene=int(scene))
    except (wechat_http.WeChatUnreachable, wechat_http.WeChatError):
        if current_app.config["CONTENT_CHECK_REVIEW_FAIL_OPEN"]:
            return None
        raise WeChatUnavailable("The content check is unavailable, try again later") from None
    return Verdict(False, answer.suggest) if answer.refused else Verdict(True)


def _fold(text: str) -> str:
    """Lower case, full-width forms made plain, and spaces, punctuation and symbols dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "ZPSC")


def blocked_words() -> list[str]:
    """The folded words of the parameter (what is not a non-empty string is skipped; a value
    that is not a list blocks nothing)."""
    value = config_value(BLOCKED_WORDS_KEY, [])
    if not isinstance(value, list):
        return []
    words = (_fold(word) for word in value[:WORDS_MAX] if isinstance(word, str))
    return list(dict.fromkeys(word for word in words if word))


def keyword_verdict(text: str) -> Verdict:
    folded = _fold(text)
    for word in blocked_words():
        if word in folded:
            return Verdict(False, "blocked word")
    return Verdict(True)
