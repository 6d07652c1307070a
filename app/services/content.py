"""Content workflows: HTML sanitizing, summaries, articles, notices and dictionaries."""

import html
import re

import nh3
from sqlalchemy import delete, select, update

from app.core.exceptions import (
    ArticleNotFound,
    DictNotFound,
    DictTypeNotFound,
    Duplicated,
    NoticeNotFound,
)
from app.core.filters import keyword_filter
from app.core.forms import INT_LIMIT
from app.core.pagination import paginate
from app.extensions import db
from app.models import Article, Dict, DictType, Notice
from app.models.base import assign

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "del",
        "div",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "style"},
    # No "rel": every link gets LINK_REL instead, so a target="_blank" cannot reach window.opener.
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "col": {"span", "width"},
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"
# The inline styles the CMS rich-text editor writes (alignment, indents, colours, fonts, table
# and image sizes). Nothing that loads a resource (background, list-style-image, cursor) or moves
# content over the page (position, z-index): other declarations are dropped.
ALLOWED_STYLES = frozenset(
    {
        "background-color",
        "border",
        "border-collapse",
        "border-color",
        "border-style",
        "border-width",
        "color",
        "float",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "height",
        "letter-spacing",
        "line-height",
        "list-style-type",
        "margin",
        "margin-bottom",
        "margin-left",
        "margin-right",
        "margin-top",
        "max-width",
        "padding",
        "padding-bottom",
        "padding-left",
        "padding-right",
        "padding-top",
        "text-align",
        "text-decoration",
        "text-indent",
        "vertical-align",
        "white-space",
        "width",
        "word-break",
    }
)
# A style value is words, numbers, units, colours and quoted font names; the only functions are
# colour functions, so url(), expression(), var() and CSS escapes never get through.
_STYLE_VALUE = re.compile(r"[\w\s#.,%+'\"()-]*")
_STYLE_FUNCTION = re.compile(r"([-\w]*)\(")
_COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
# Elements whose text is code or markup, not prose: dropped with their content, so
# "<script>alert(1)</script>" leaves nothing behind rather than the text "alert(1)".
DROPPED_ELEMENTS = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title"}
)
_SPACES = re.compile(r"\s+")
SUMMARY_LENGTH = 60


def _style_declarations(style: str) -> str | None:
    """The allowed declarations of a style attribute, or None (no attribute) when none is left."""
    kept = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not colon or name not in ALLOWED_STYLES or not value:
            continue
        if not _STYLE_VALUE.fullmatch(value):
            continue
        if any(f.lower() not in _COLOUR_FUNCTIONS for f in _STYLE_FUNCTION.findall(value)):
            continue
        kept.append(f"{name}:{value}")
    return ";".join(kept) or None


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    return _style_declarations(value) if name == "style" else value


_RICH_TEXT = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_ELEMENTS),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=set(ALLOWED_PROTOCOLS),
    link_rel=LINK_REL,
    filter_style_properties=set(ALLOWED_STYLES),
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_ELEMENTS), attributes={})


def sanitize_html(text: str) -> str:
    """Rich text reduced to the allow-list: no scripts, event handlers or javascript: URLs;
    links get rel="noopener noreferrer"; inline styles keep only the editor's properties."""
    if not text:
        return ""
    return _RICH_TEXT.clean(text)


def html_text(text: str) -> str:
    """The readable text of an HTML fragment, white space collapsed (entities decoded)."""
    if not text:
        return ""
    return _SPACES.sub(" ", html.unescape(_TEXT_ONLY.clean(text))).strip()


def summary_from(content: str) -> str:
    """The first 60 characters of the content's text followed by "...", or "" without text.

    The summary is plain text that cannot carry markup wherever a client shows it: an escaped
    "&lt;b&gt;" in the content reads as "＜b＞" (full-width brackets), never as a tag."""
    text = html_text(content).replace("<", "＜").replace(">", "＞")
    return text[:SUMMARY_LENGTH] + "..." if text else ""


def _get(model, row_id: int, not_found: type[Exception]):
    """The live row of `model` with this id, or `not_found` raised."""
    row = None
    if 0 < row_id <= INT_LIMIT:
        row = db.session.scalar(select(model).where(model.id == row_id))
    if row is None:
        raise not_found()
    return row


# ------------------------------------------------------------------- articles

ARTICLE_FIELDS = ("title", "type", "img", "summary", "content", "theme")


def _apply_article(article: Article, values: dict) -> None:
    for name in ARTICLE_FIELDS:
        if name in values:
            value = values[name]
            setattr(article, name, sanitize_html(value) if name == "content" else value)
    if not article.summary:
        article.summary = summary_from(article.content)


def create_article(author, values: dict) -> Article:
    """A new article by `author` from the validated fields."""
    article = Article(author_id=author.id, summary="", content="", img="", type=1)
    _apply_article(article, values)
    db.session.add(article)
    db.session.commit()
    return article


def _newest_first(model, *where):
    return select(model).where(*where).order_by(model.create_time.desc(), model.id.desc())


def article_page(form, kind: int = 0, keyword: str | None = None) -> dict:
    """A page of articles, newest first: of one type (0: all), with `keyword` in the title."""
    statement = _newest_first(Article, *([Article.type == kind] if kind else []))
    return paginate(keyword_filter(statement, keyword, Article.title), form)


def get_article(article_id: int) -> Article:
    return _get(Article, article_id, ArticleNotFound)


def update_article(article_id: int, values: dict) -> Article:
    """Change the fields sent; an emptied summary is filled from the content again."""
    article = get_article(article_id)
    _apply_article(article, values)
    db.session.commit()
    return article


def delete_article(article_id: int) -> None:
    get_article(article_id).soft_delete()
    db.session.commit()


def view_article(article_id: int) -> Article:
    """Count one view with an atomic increment and answer the article."""
    if not 0 < article_id <= INT_LIMIT:
        raise ArticleNotFound()
    result = db.session.execute(
        update(Article)
        .where(Article.id == article_id, Article.delete_time.is_(None))
        .values(views=Article.views + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ArticleNotFound()
    db.session.commit()
    return get_article(article_id)


# -------------------------------------------------------------------- notices

NOTICE_FIELDS = ("type", "title", "content", "status", "remark")


def _apply_notice(notice: Notice, values: dict) -> None:
    for name in NOTICE_FIELDS:
        if name in values:
            value = values[name]
            setattr(notice, name, sanitize_html(value) if name == "content" else value)


def create_notice(editor, values: dict) -> Notice:
    """A new notice; `create_by` and `update_by` name the caller."""
    name = editor.display_name[:100]
    notice = Notice(status=True, remark="", create_by=name, update_by=name)
    _apply_notice(notice, values)
    db.session.add(notice)
    db.session.commit()
    return notice


def notice_page(form, kind=None, status=None, keyword: str | None = None) -> dict:
    """A page of notices, newest first: of one type, one status (None: any), with `keyword` in
    the title."""
    where = [] if kind is None else [Notice.type == kind]
    if status is not None:
        where.append(Notice.status.is_(status))
    return paginate(keyword_filter(_newest_first(Notice, *where), keyword, Notice.title), form)


def get_notice(notice_id: int, *, published_only: bool = False) -> Notice:
    notice = _get(Notice, notice_id, NoticeNotFound)
    if published_only and not notice.status:
        raise NoticeNotFound()
    return notice


def update_notice(notice_id: int, editor, values: dict) -> Notice:
    notice = get_notice(notice_id)
    _apply_notice(notice, values)
    notice.update_by = editor.display_name[:100]
    db.session.commit()
    return notice


def delete_notices(ids: list[int]) -> list[int]:
    """Soft delete every notice of `ids`; if one is missing nothing is deleted."""
    notices = db.session.scalars(select(Notice).where(Notice.id.in_(ids))).all()
    if len(notices) != len(ids):
        raise NoticeNotFound()
    for notice in notices:
        notice.soft_delete()
    db.session.commit()
    return ids


# --------------------------------------------------------------- dictionaries

DICT_TYPE_FIELDS = ("name", "type", "status", "remark")
DICT_FIELDS = (
    "type",
    "order",
    "label",
    "value",
    "css_class",
    "list_class",
    "is_default",
    "status",
    "remark",
)


def get_dict_type(type_id: int) -> DictType:
    return _get(DictType, type_id, DictTypeNotFound)


def _check_type_free(kind: str, own_id: int | None = None) -> None:
    other = db.session.scalar(select(DictType.id).where(DictType.type == kind))
    if other is not None and other != own_id:
        raise Duplicated("A dictionary type with this type already exists")


def create_dict_type(values: dict) -> DictType:
    _check_type_free(values["type"])
    row = DictType(**{name: values[name] for name in DICT_TYPE_FIELDS})
    db.session.add(row)
    db.session.commit()
    return row


def update_dict_type(type_id: int, values: dict) -> DictType:
    """Change the fields sent; a new `type` renames its entries in the same transaction."""
    row = get_dict_type(type_id)
    old_type = row.type
    if "type" in values and values["type"] != old_type:
        _check_type_free(values["type"], row.id)
        db.session.execute(
            update(Dict)
            .where(Dict.type == old_type)
            .values(type=values["type"])
            .execution_options(synchronize_session="fetch")
        )
    assign(row, values, DICT_TYPE_FIELDS)
    db.session.commit()
    return row


def delete_dict_type(type_id: int) -> None:
    """Delete the type and every entry of it."""
    row = get_dict_type(type_id)
    db.session.execute(
        delete(Dict).where(Dict.type == row.type).execution_options(synchronize_session=False)
    )
    db.session.delete(row)
    db.session.commit()


def get_dict(dict_id: int) -> Dict:
    return _get(Dict, dict_id, DictNotFound)


def _check_dict_free(kind: str, value: str, own_id: int | None = None) -> None:
    if db.session.scalar(select(DictType.id).where(DictType.type == kind)) is None:
        raise DictTypeNotFound()
    other = db.session.scalar(select(Dict.id).where(Dict.type == kind, Dict.value == value))
    if other is not None and other != own_id:
        raise Duplicated("This value already exists in the dictionary type")


def create_dict(values: dict) -> Dict:
    _check_dict_free(values["type"], values["value"])
    row = Dict(**{name: values[name] for name in DICT_FIELDS})
    db.session.add(row)
    db.session.commit()
    return row


def update_dict(dict_id: int, values: dict) -> Dict:
    row = get_dict(dict_id)
    kind, value = values.get("type", row.type), values.get("value", row.value)
    if (kind, value) != (row.type, row.value):
        _check_dict_free(kind, value, row.id)
    assign(row, values, DICT_FIELDS)
    db.session.commit()
    return row


def delete_dict(dict_id: int) -> None:
    db.session.delete(get_dict(dict_id))
    db.session.commit()
