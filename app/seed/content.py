"""Demo content: articles and notices."""

from app.extensions import db
from app.models import Article, Notice, User
from app.seed.rows import add_missing

AUTHOR_ID = 1

ARTICLE_COLUMNS = ("type", "title", "summary", "content", "views")
ARTICLES = [
    (
        1,
        "小店上新：应季水果到货",
        "本周新到一批应季水果，欢迎选购。",
        "<p>本周新到一批应季水果，包括芒果、龙眼和奇异果，数量有限，先到先得。</p>",
        12,
    ),
    (
        1,
        "配送说明",
        "下单后48小时内发货，支持全国配送。",
        "<p>订单支付后48小时内发货，偏远地区可能延迟。发货后可在订单详情查看物流单号。</p>",
        5,
    ),
    (
        2,
        "如何挑选好茶",
        "从外形、香气和汤色三方面入手。",
        "<h2>挑选要点</h2><p>看外形是否匀整，闻香气是否纯正，观汤色是否明亮。</p>",
        3,
    ),
]

NOTICE_AUTHOR = "Boss"
NOTICE_COLUMNS = ("type", "title", "content")
NOTICES = [
    (2, "新版本发布", "<p>商城后台已升级到新版本，欢迎体验。</p>"),
    (1, "系统维护通知", "<p>系统将于周日凌晨0:00至2:00进行维护，期间暂停下单。</p>"),
]


def seed_content() -> None:
    """Load the demo content (idempotent: rows are found by title)."""
    if db.session.get(User, AUTHOR_ID) is not None:
        add_missing(Article, ARTICLE_COLUMNS, ARTICLES, "title", author_id=AUTHOR_ID, img="")
    add_missing(
        Notice,
        NOTICE_COLUMNS,
        NOTICES,
        "title",
        status=True,
        remark="",
        create_by=NOTICE_AUTHOR,
        update_by=NOTICE_AUTHOR,
    )
    db.session.commit()
