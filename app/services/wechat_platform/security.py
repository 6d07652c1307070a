"""Content security: WeChat's text check (`POST /wxa/msg_sec_check`, version 2).

`check_text` asks WeChat about one text written by the user with `openid`, in a scene (1
profile, 2 comment, 3 forum, 4 social log) and answers its verdict. `ensure_user_text_allowed`
is the rule routes call: a text WeChat calls risky is 400 / 35050 (ContentRefused). When WeChat
is not configured, or the author has no mini-program openid (the check needs one), the text is
not checked. When WeChat cannot answer, `fail_open` decides: accept the text unchecked, or
answer 502 / 11030 (WeChatUnavailable) so the author tries again. Nicknames fail open
(CONTENT_CHECK_NICKNAME_FAIL_OPEN, default true: a profile is not worth blocking on WeChat);
review texts go through app.services.content_check, which fails closed
(CONTENT_CHECK_REVIEW_FAIL_OPEN, default false).
"""

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.core.exceptions import ContentRefused, WeChatUnavailable
from app.extensions import db
from app.models import Identity
from app.services.wechat import WX_MINA
from app.services.wechat_platform import token
from app.services.wechat_platform.http import WeChatError, WeChatUnreachable, is_configured

logger = logging.getLogger(__name__)

CHECK_PATH = "/wxa/msg_sec_check"
SCENE_PROFILE, SCENE_COMMENT, SCENE_FORUM, SCENE_SOCIAL_LOG = 1, 2, 3, 4
PASS, REVIEW, RISKY, UNCHECKED = "pass", "review", "risky", "unchecked"
RISKY_ERRCODE = 87014  # the answer of the first version of the check to a risky text


@dataclass(frozen=True)
class TextVerdict:
    suggest: str  # pass, review, risky; unchecked when WeChat was not asked or did not answer
    label: int | None = None
    trace_id: str = ""

    @property
    def refused(self) -> bool:
        return self.suggest == RISKY


NOT_CHECKED = TextVerdict(UNCHECKED)


def check_text(text: str, *, openid: str, scene: int) -> TextVerdict:
    """WeChat's verdict on a text; raises WeChatUnreachable or WeChatError when it gives none."""
    try:
        answer = token.call(
            CHECK_PATH, {"content": text, "version": 2, "scene": scene, "openid": openid}
        )
    except WeChatError as error:
        if error.errcode == RISKY_ERRCODE:
            return TextVerdict(RISKY, trace_id=str(error.body.get("trace_id") or ""))
        raise
    result = answer.get("result") if isinstance(answer.get("result"), dict) else {}
    suggest = result.get("suggest")
    if suggest not in (PASS, REVIEW, RISKY):
        raise WeChatUnreachable("msg_sec_check answered without a suggestion")
    label = result.get("label")
    return TextVerdict(
        suggest,
        label if isinstance(label, int) and not isinstance(label, bool) else None,
        str(answer.get("trace_id") or ""),
    )


def user_openid(user_id: int) -> str | None:
    return db.session.scalar(
        select(Identity.identifier).where(Identity.user_id == user_id, Identity.type == WX_MINA)
    )


def ensure_user_text_allowed(
    user_id: int, text: str, *, scene: int, fail_open: bool
) -> TextVerdict:
    """Raise ContentRefused (400 / 35050) for a text WeChat calls risky; see the module doc for
    texts that are not checked and for WeChat being down (`fail_open`)."""
    if not text or not is_configured():
        return NOT_CHECKED
    openid = user_openid(user_id)
    if not openid:
        return NOT_CHECKED
    try:
        verdict = check_text(text, openid=openid, scene=scene)
    except (WeChatUnreachable, WeChatError) as error:
        if fail_open:
            logger.warning("content check unavailable (%s): text accepted unchecked", error)
            return NOT_CHECKED
        raise WeChatUnavailable("The content check is unavailable, try again later") from None
    if verdict.refused:
        raise ContentRefused()
    return verdict


def ensure_nickname_allowed(user_id: int, nickname: str) -> TextVerdict:
    return ensure_user_text_allowed(
        user_id,
        nickname,
        scene=SCENE_PROFILE,
        fail_open=current_app.config["CONTENT_CHECK_NICKNAME_FAIL_OPEN"],
    )
