"""Content helpers without HTTP: sanitizing, summaries, config values, the demo content seed."""

import pytest
from sqlalchemy import func, select

from app.core.exceptions import ConfigValueInvalid
from app.extensions import db
from app.models import Article, Notice
from app.seed.content import seed_content
from app.services.config_params import parse_value, store_value
from app.services.content import html_text, sanitize_html, summary_from
from tests.factories import make_user


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>ok</p>", "<p>ok</p>"),
        ('<p onclick="x()">a</p>', "<p>a</p>"),
        ("<script>alert(1)</script><p>b</p>", "<p>b</p>"),
        ("<SCRIPT src=//evil></SCRIPT>c", "c"),
        (
            '<a href="javascript:alert(1)" title="t">l</a>',
            '<a title="t" rel="noopener noreferrer">l</a>',
        ),
        (
            '<a href="https://example.com">l</a>',
            '<a href="https://example.com" rel="noopener noreferrer">l</a>',
        ),
        ('<img src="data:text/html;base64,xx" alt="a">', '<img alt="a">'),
        ("<style>p{}</style><h2>h</h2>", "<h2>h</h2>"),
        ("<form><input></form>t", "t"),
        ("<!-- c --><b>x</b>", "<b>x</b>"),
        ('<span style="position:fixed" class="k">s</span>', '<span class="k">s</span>'),
        ("<textarea><p>t</p></textarea><p>u</p>", "<p>u</p>"),
        ("<script>never closed <p>v</p>", ""),
    ],
)
def test_sanitize_html_keeps_only_the_allow_list(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (
            '<a href="https://e.com" target="_blank">l</a>',
            '<a href="https://e.com" target="_blank" rel="noopener noreferrer">l</a>',
        ),
        (
            '<a href="https://e.com" target="_blank" rel="opener">l</a>',
            '<a href="https://e.com" target="_blank" rel="noopener noreferrer">l</a>',
        ),
        ('<a target="_top">l</a>', '<a target="_top" rel="noopener noreferrer">l</a>'),
    ],
)
def test_sanitize_html_link_with_target_gets_noopener(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (
            '<p style="text-align:center;text-indent:2em">p</p>',
            '<p style="text-align:center;text-indent:2em">p</p>',
        ),
        (
            '<span style="color:rgb(255, 0, 0);background-color:#ff0;font-size:16px">s</span>',
            '<span style="color:rgb(255, 0, 0);background-color:#ff0;font-size:16px">s</span>',
        ),
        (
            '<img src="https://cdn/x.png" style="width:100%;height:auto;float:left">',
            '<img src="https://cdn/x.png" style="width:100%;height:auto;float:left">',
        ),
        ('<p style="COLOR: red; position: fixed; z-index: 9">p</p>', '<p style="color:red">p</p>'),
        ('<p style="background:url(https://evil/x.png)">p</p>', "<p>p</p>"),
        ('<p style="width:expression(alert(1))">p</p>', "<p>p</p>"),
        ('<p style="color:var(--x)">p</p>', "<p>p</p>"),
        ('<p style="color:\\72 ed">p</p>', "<p>p</p>"),
        ('<p style="color:red;color">p</p>', '<p style="color:red">p</p>'),
    ],
)
def test_sanitize_html_keeps_the_editor_inline_styles_only(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_html_text_and_summary():
    assert html_text("<h2>挑选要点</h2>\n<p>看外形&amp;香气</p>") == "挑选要点 看外形&香气"
    assert summary_from("<p>" + "字" * 80 + "</p>") == "字" * 60 + "..."
    assert summary_from("<p><script>x</script></p>") == ""


@pytest.mark.parametrize(
    ("content", "summary"),
    [
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "＜script＞alert(1)＜/script＞..."),
        ('<p>&lt;img src=x onerror="y"&gt;</p>', '＜img src=x onerror="y"＞...'),
        ("<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>", "1 ＜ 2 && 3 ＞ 2..."),
    ],
)
def test_summary_from_escaped_markup_stays_text(content, summary):
    assert summary_from(content) == summary
    assert "<" not in summary_from(content) and ">" not in summary_from(content)


@pytest.mark.parametrize(
    ("value", "value_type", "stored", "parsed"),
    [
        ("a", "str", "a", "a"),
        (3, "int", "3", 3),
        (" -4 ", "int", "-4", -4),
        (False, "bool", "false", False),
        ({"k": [1]}, "json", '{"k":[1]}', {"k": [1]}),
    ],
)
def test_store_value_round_trips(value, value_type, stored, parsed):
    assert store_value(value, value_type) == stored
    assert parse_value(stored, value_type) == parsed


def test_parse_value_falls_back_to_text_when_unparsable():
    assert parse_value("abc", "int") == "abc"
    assert parse_value("[1, 2]", "json") == [1, 2]


def test_store_value_json_too_long_answers_84030():
    with pytest.raises(ConfigValueInvalid):
        store_value(["x" * 300], "json")


def test_seed_content_is_idempotent():
    author = make_user(id=1, email="999@qq.com", nickname="Boss")
    seed_content()
    seed_content()
    articles = db.session.scalars(select(Article).order_by(Article.id)).all()
    assert [(a.title, a.views, a.author_id) for a in articles] == [
        ("小店上新：应季水果到货", 12, author.id),
        ("配送说明", 5, author.id),
        ("如何挑选好茶", 3, author.id),
    ]
    assert articles[2].type == 2
    notices = db.session.scalars(select(Notice).order_by(Notice.id)).all()
    assert [(n.type, n.title, n.create_by, n.status) for n in notices] == [
        (2, "新版本发布", "Boss", True),
        (1, "系统维护通知", "Boss", True),
    ]
    assert db.session.scalar(select(func.count()).select_from(Article)) == 3
