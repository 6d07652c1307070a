"""Demo content: articles and notices."""

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Notice, User

AUTHOR_ID = 1

ARTICLES = [
    # type, title, summary, content, views
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

NOTICES = [
    # type, title, content, create_by
    (2, "新版本发布", "<p>商城后台已升级到新版本，欢迎体验。</p>", "Boss"),
    (1, "系统维护通知", "<p>系统将于周日凌晨0:00至2:00进行维护，期间暂停下单。</p>", "Boss"),
]


def seed_content() -> None:
    """Load the demo content (idempotent: rows are found by title)."""
    titles = set(db.session.scalars(select(Article.title)))
    if db.session.get(User, AUTHOR_ID) is not None:
        for kind, title, summary, content, views in ARTICLES:
            if title not in titles:
                db.session.add(
                    Article(
                        author_id=AUTHOR_ID,
                        type=kind,
                        title=title,
                        summary=summary,
                        content=content,
                        img="",
                        views=views,
                    )
                )
    titles = set(db.session.scalars(select(Notice.title)))
    for kind, title, content, create_by in NOTICES:
        if title not in titles:
            db.session.add(
                Notice(
                    type=kind,
                    title=title,
                    content=content,
                    status=True,
                    remark="",
                    create_by=create_by,
                    update_by=create_by,
                )
            )
    db.session.commit()
