"""Admin dictionaries: dictionary types and their entries."""

from flask import Blueprint
from sqlalchemy import select

from app.api.resource import Resource
from app.core.exceptions import DictNotFound, DictTypeNotFound, Duplicated
from app.core.filters import keyword_filter
from app.core.pagination import paginate
from app.extensions import db
from app.models import Dict, DictType
from app.schemas import dict as shapes
from app.schemas.base import Items
from app.services import content
from app.validators.content import (
    DictAllForm,
    DictCreateForm,
    DictListForm,
    DictTypeCreateForm,
    DictTypeListForm,
    DictTypeUpdateForm,
    DictUpdateForm,
)

bp = Blueprint("dict", __name__, url_prefix="/dict")

TYPE_MODULE = "字典类型"
DATA_MODULE = "字典数据"


def _entries(dict_type: str | None):
    """Dictionary entries by type, order and id; only those of `dict_type` when given."""
    statement = select(Dict).order_by(Dict.type, Dict.order, Dict.id)
    if dict_type:
        statement = statement.where(Dict.type == dict_type)
    return statement


# ---------------------------------------------------------------------- types


def _type_page(form):
    statement = select(DictType).order_by(DictType.id)
    statement = keyword_filter(statement, form.keyword.data, DictType.name, DictType.type)
    return paginate(statement, form)


types = Resource(bp, TYPE_MODULE, shape=shapes.DictType, missing=[DictTypeNotFound], prefix="/type")
types.list(
    "list_dict_types",
    "查询字典类型列表",
    "List dictionary types",
    "List dictionary types by id, optionally filtered by name or type.",
    _type_page,
    form=DictTypeListForm,
)
types.get(
    "get_dict_type",
    "查询字典类型列表",
    "Get a dictionary type",
    "Get one dictionary type.",
    content.get_dict_type,
)
types.create(
    "create_dict_type",
    "新建字典类型",
    "Create a dictionary type",
    "Create a dictionary type.",
    DictTypeCreateForm,
    content.create_dict_type,
    errors=[Duplicated],
)
types.update(
    "update_dict_type",
    "更新字典类型",
    "Update a dictionary type",
    "Update the fields sent; a new `type` renames the type's entries too.",
    DictTypeUpdateForm,
    content.update_dict_type,
    errors=[DictTypeNotFound, Duplicated],
)
types.delete(
    "delete_dict_type",
    "删除字典类型",
    "Delete a dictionary type and its entries",
    "Delete a dictionary type with its entries.",
    content.delete_dict_type,
)


# -------------------------------------------------------------------- entries

entries = Resource(bp, DATA_MODULE, shape=shapes.Dict, missing=[DictNotFound])
entries.list(
    "list_dicts",
    "查询字典数据列表",
    "List dictionary entries",
    "List dictionary entries by type, order and id.",
    lambda form: paginate(_entries(form.type.data), form),
    form=DictListForm,
)


entries.view(
    "GET",
    "/all",
    "list_all_dicts",
    "查询字典数据列表",
    "All dictionary entries of a type",
    "List every entry of a type (or of all types), unpaginated.",
    lambda form: {"items": db.session.scalars(_entries(form.type.data)).all()},
    query=DictAllForm,
    data=Items(shapes.Dict),
)
entries.get(
    "get_dict",
    "查询字典数据列表",
    "Get a dictionary entry",
    "Get one dictionary entry.",
    content.get_dict,
)
entries.create(
    "create_dict",
    "新建字典数据",
    "Create a dictionary entry",
    "Create an entry in an existing dictionary type.",
    DictCreateForm,
    content.create_dict,
    errors=[DictTypeNotFound, Duplicated],
)
entries.update(
    "update_dict",
    "更新字典数据",
    "Update a dictionary entry",
    "Update the fields sent (the CMS sends the whole row; other keys are ignored).",
    DictUpdateForm,
    content.update_dict,
    errors=[DictNotFound, DictTypeNotFound, Duplicated],
)
entries.delete(
    "delete_dict",
    "删除字典数据",
    "Delete a dictionary entry",
    "Delete one dictionary entry.",
    content.delete_dict,
)
