"""The check a user's text passes before the shop shows it (review words, staff replies).

    check_text(text, openid=..., scene=Scene.COMMENT)

answers nothing when the text may be shown and raises ContentRefused (400 / 35050) when not.
Who decides:

1. the WeChat content-security check, when `wechat_verdict` answers a verdict. It is the seam
   where that check plugs in: today it answers None (not built yet), and once built it still
   answers None when WeChat is not configured or the author has no mini-program openid;
2. otherwise the keyword list of the `shop.content.blocked_words` config parameter (a JSON
   array of words, edited in the CMS). A word matches ignoring case, full-width forms, spaces
   and punctuation put between its characters.
"""

import enum
import unicodedata
from dataclasses import dataclass

from app.core.exceptions import ContentRefused
from app.services.config_params import config_value

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
    """THE WECHAT SEAM: the verdict of WeChat's content-security check of `text` by the user
    `openid` in `scene`, or None when WeChat cannot decide (not configured, no openid). It is not
    built yet, so the keyword list decides.

    Plugging it in means: call the check (faked with `responses` in its tests), answer
    Verdict(False, ...) when WeChat says the text is risky, Verdict(True) when it passes, and
    decide what a WeChat outage answers (refuse the text, or None to fall back to the words).
    """
    return None


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
