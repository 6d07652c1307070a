"""Admin dictionaries: dictionary types and their entries."""

from flask import Blueprint
from sqlalchemy import select

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import DictNotFound, DictTypeNotFound, Duplicated
from app.core.filters import keyword_filter
from app.core.pagination import paginate
from app.extensions import db
from app.models import Dict, DictType
from app.schemas import dict as shapes
from app.schemas.base import Items, Page
from app.schemas.common import Id
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


@bp.get("/type/list")
@permission("查询字典类型列表", TYPE_MODULE)
@doc("List dictionary types", query=DictTypeListForm, data=Page(shapes.DictType))
def list_dict_types():
    """List dictionary types by id, optionally filtered by name or type."""
    form = DictTypeListForm().validate_or_raise()
    statement = select(DictType).order_by(DictType.id)
    statement = keyword_filter(statement, form.keyword.data, DictType.name, DictType.type)
    return paginate(statement, form)


@bp.get("/type/<int:id>")
@permission("查询字典类型列表", TYPE_MODULE)
@doc("Get a dictionary type", data=shapes.DictType, path=path_ids("id"), errors=[DictTypeNotFound])
def get_dict_type(id: int):
    """Get one dictionary type."""
    return content.get_dict_type(id)


@bp.post("/type")
@permission("新建字典类型", TYPE_MODULE)
@doc(
    "Create a dictionary type",
    body=DictTypeCreateForm,
    data=shapes.DictType,
    status=201,
    errors=[Duplicated],
)
def create_dict_type():
    """Create a dictionary type."""
    form = DictTypeCreateForm().validate_or_raise()
    return content.create_dict_type(form.data)


@bp.put("/type/<int:id>")
@permission("更新字典类型", TYPE_MODULE)
@doc(
    "Update a dictionary type",
    body=DictTypeUpdateForm,
    data=shapes.DictType,
    status=201,
    path=path_ids("id"),
    errors=[DictTypeNotFound, Duplicated],
)
def update_dict_type(id: int):
    """Update the fields sent; a new `type` renames the type's entries too."""
    form = DictTypeUpdateForm().validate_or_raise()
    return content.update_dict_type(id, form.present())


@bp.delete("/type/<int:id>")
@permission("删除字典类型", TYPE_MODULE)
@doc(
    "Delete a dictionary type and its entries",
    data=Id,
    status=202,
    path=path_ids("id"),
    errors=[DictTypeNotFound],
)
def delete_dict_type(id: int):
    """Delete a dictionary type with its entries."""
    content.delete_dict_type(id)
    return {"id": id}


# -------------------------------------------------------------------- entries


@bp.get("/list")
@permission("查询字典数据列表", DATA_MODULE)
@doc("List dictionary entries", query=DictListForm, data=Page(shapes.Dict))
def list_dicts():
    """List dictionary entries by type, order and id."""
    form = DictListForm().validate_or_raise()
    return paginate(_entries(form.type.data), form)


@bp.get("/all")
@permission("查询字典数据列表", DATA_MODULE)
@doc("All dictionary entries of a type", query=DictAllForm, data=Items(shapes.Dict))
def list_all_dicts():
    """List every entry of a type (or of all types), unpaginated."""
    form = DictAllForm().validate_or_raise()
    return {"items": db.session.scalars(_entries(form.type.data)).all()}


@bp.get("/<int:id>")
@permission("查询字典数据列表", DATA_MODULE)
@doc("Get a dictionary entry", data=shapes.Dict, path=path_ids("id"), errors=[DictNotFound])
def get_dict(id: int):
    """Get one dictionary entry."""
    return content.get_dict(id)


@bp.post("")
@permission("新建字典数据", DATA_MODULE)
@doc(
    "Create a dictionary entry",
    body=DictCreateForm,
    data=shapes.Dict,
    status=201,
    errors=[DictTypeNotFound, Duplicated],
)
def create_dict():
    """Create an entry in an existing dictionary type."""
    form = DictCreateForm().validate_or_raise()
    return content.create_dict(form.data)


@bp.put("/<int:id>")
@permission("更新字典数据", DATA_MODULE)
@doc(
    "Update a dictionary entry",
    body=DictUpdateForm,
    data=shapes.Dict,
    status=201,
    path=path_ids("id"),
    errors=[DictNotFound, DictTypeNotFound, Duplicated],
)
def update_dict(id: int):
    """Update the fields sent (the CMS sends the whole row; other keys are ignored)."""
    form = DictUpdateForm().validate_or_raise()
    return content.update_dict(id, form.present())


@bp.delete("/<int:id>")
@permission("删除字典数据", DATA_MODULE)
@doc("Delete a dictionary entry", data=Id, status=202, path=path_ids("id"), errors=[DictNotFound])
def delete_dict(id: int):
    """Delete one dictionary entry."""
    content.delete_dict(id)
    return {"id": id}
