"""Forms of the content and settings routes: articles, notices, dictionaries, config parameters.

Create forms mark required fields; the update forms are `partial()` of them (the same fields,
all optional), so a PUT changes only what was sent (the CMS sends whole rows back; unknown keys
are never read).
"""

from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    IntegerField,
    PageForm,
    RawField,
    StringField,
)
from app.models.system import KEY_PATTERN, VALUE_TYPES

LIST_CLASSES = ("", "default", "primary", "success", "info", "warning", "danger")
URL_PATTERN = r"(https?://|/)\S*"


def _remark() -> StringField:
    """The staff's note on a notice, a dictionary row or a config parameter."""
    return StringField(max_length=255, default="")


def _dict_type_filter() -> StringField:
    return StringField(max_length=64, description="dictionary type; absent: all")


# ------------------------------------------------------------------- articles


class ArticleListForm(PageForm):
    type = IntegerField(min_value=0, max_value=2, default=0, description="0 = all")
    keyword = StringField(max_length=255, description="title contains")


class PublicArticleListForm(PageForm):
    type = IntegerField(min_value=0, max_value=2, default=0, description="0 = all")


class ArticleCreateForm(BaseForm):
    title = StringField(required=True, min_length=1, max_length=255)
    type = EnumField(choices=(1, 2), default=1, description="1 company news, 2 industry news")
    img = StringField(
        max_length=255,
        default="",
        pattern=URL_PATTERN,
        pattern_message="Must be an http(s) URL or a path.",
    )
    summary = StringField(max_length=500, default="", description="empty: filled from content")
    content = StringField(max_length=100000, trim=False, default="", description="HTML")
    theme = IntegerField(min_value=0, max_value=32767, nullable=True)


ArticleUpdateForm = ArticleCreateForm.partial()


# -------------------------------------------------------------------- notices


class NoticeListForm(PageForm):
    type = IntegerField(min_value=1, max_value=2)
    status = BooleanField()
    keyword = StringField(max_length=64, description="title contains")


class PublicNoticeListForm(PageForm):
    type = IntegerField(min_value=1, max_value=2)


class NoticeCreateForm(BaseForm):
    type = EnumField(required=True, choices=(1, 2), description="1 notice, 2 announcement")
    title = StringField(required=True, min_length=1, max_length=64)
    content = StringField(
        required=True, min_length=1, max_length=20000, trim=False, description="HTML"
    )
    status = BooleanField(default=True)
    remark = _remark()


NoticeUpdateForm = NoticeCreateForm.partial()


# --------------------------------------------------------------- dictionaries


class DictTypeListForm(PageForm):
    keyword = StringField(max_length=64, description="name or type contains")


class DictTypeCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=64)
    type = StringField(
        required=True,
        min_length=1,
        max_length=64,
        pattern=r"[a-z0-9_]+",
        pattern_message="Use only a-z, 0-9 and _.",
    )
    status = BooleanField(default=True)
    remark = _remark()


DictTypeUpdateForm = DictTypeCreateForm.partial()


class DictListForm(PageForm):
    type = _dict_type_filter()


class DictAllForm(BaseForm):
    type = _dict_type_filter()


class DictCreateForm(BaseForm):
    type = StringField(required=True, min_length=1, max_length=64)
    label = StringField(required=True, min_length=1, max_length=64)
    value = StringField(required=True, min_length=1, max_length=64)
    order = IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    css_class = StringField(max_length=64, default="")
    list_class = EnumField(choices=LIST_CLASSES, default="")
    is_default = BooleanField(default=False)
    status = BooleanField(default=True)
    remark = _remark()


DictUpdateForm = DictCreateForm.partial()


# ------------------------------------------------------------- config params


class ConfigListForm(PageForm):
    keyword = StringField(max_length=64, description="name or key contains")


class ConfigCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=64)
    key = StringField(
        required=True,
        min_length=1,
        max_length=64,
        pattern=KEY_PATTERN,
        pattern_message="Use only letters, digits, '.', '_' and '-'.",
    )
    value = RawField(
        required=True, description="a string, or a JSON value of the parameter's value_type"
    )
    value_type = EnumField(choices=VALUE_TYPES, default="str")
    type = BooleanField(default=False, description="built-in")
    public = BooleanField(default=False, description="readable without a token")
    remark = _remark()


ConfigUpdateForm = ConfigCreateForm.partial()


class ConfigValueForm(BaseForm):
    value = RawField(
        required=True, description="a string, or a JSON value of the parameter's value_type"
    )
