"""Admin dictionaries: dictionary types and their entries."""

from flask import Blueprint
from sqlalchemy import or_, select

from app.core.auth import permission
from app.core.docs import BOOL, ID, INT, STR, TIME, doc, items_of, obj, page_of, path_ids
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.extensions import db
from app.models import Dict, DictType
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

DICT_TYPE = obj(
    ["id", "name", "type", "status", "remark", "create_time", "update_time"],
    id=INT,
    name=STR,
    type=STR,
    status=BOOL,
    remark=STR,
    create_time=TIME,
    update_time=TIME,
)
DICT = obj(
    ["id", "type", "order", "label", "value", "css_class", "list_class", "is_default", "status"],
    id=INT,
    type=STR,
    order=INT,
    label=STR,
    value=STR,
    css_class=STR,
    list_class=STR,
    is_default=BOOL,
    status=BOOL,
    remark=STR,
    create_time=TIME,
    update_time=TIME,
)
DICT_ORDER = (Dict.type, Dict.order, Dict.id)


# ---------------------------------------------------------------------- types


@bp.get("/type/list")
@permission("查询字典类型列表", TYPE_MODULE)
@doc("List dictionary types", query=DictTypeListForm, data=page_of(DICT_TYPE))
def list_dict_types():
    """List dictionary types by id, optionally filtered by name or type."""
    form = DictTypeListForm().validate_or_raise()
    statement = select(DictType).order_by(DictType.id)
    if form.keyword.data:
        keyword = form.keyword.data
        statement = statement.where(
            or_(
                DictType.name.contains(keyword, autoescape=True),
                DictType.type.contains(keyword, autoescape=True),
            )
        )
    return ok(paginate(statement, form, DictType.to_dict))


@bp.get("/type/<int:id>")
@permission("查询字典类型列表", TYPE_MODULE)
@doc("Get a dictionary type", data=DICT_TYPE, path=path_ids("id"))
def get_dict_type(id: int):
    """Get one dictionary type."""
    return ok(content.get_dict_type(id).to_dict())


@bp.post("/type")
@permission("新建字典类型", TYPE_MODULE)
@doc("Create a dictionary type", body=DictTypeCreateForm, data=DICT_TYPE, status=201)
def create_dict_type():
    """Create a dictionary type."""
    form = DictTypeCreateForm().validate_or_raise()
    return created(content.create_dict_type(form.data).to_dict())


@bp.put("/type/<int:id>")
@permission("更新字典类型", TYPE_MODULE)
@doc(
    "Update a dictionary type",
    body=DictTypeUpdateForm,
    data=DICT_TYPE,
    status=201,
    path=path_ids("id"),
)
def update_dict_type(id: int):
    """Update the fields sent; a new `type` renames the type's entries too."""
    form = DictTypeUpdateForm().validate_or_raise()
    return created(content.update_dict_type(id, form.present()).to_dict())


@bp.delete("/type/<int:id>")
@permission("删除字典类型", TYPE_MODULE)
@doc("Delete a dictionary type and its entries", data=ID, status=202, path=path_ids("id"))
def delete_dict_type(id: int):
    """Delete a dictionary type with its entries."""
    content.delete_dict_type(id)
    return deleted({"id": id})


# -------------------------------------------------------------------- entries


@bp.get("/list")
@permission("查询字典数据列表", DATA_MODULE)
@doc("List dictionary entries", query=DictListForm, data=page_of(DICT))
def list_dicts():
    """List dictionary entries by type, order and id."""
    form = DictListForm().validate_or_raise()
    statement = select(Dict).order_by(*DICT_ORDER)
    if form.type.data:
        statement = statement.where(Dict.type == form.type.data)
    return ok(paginate(statement, form, Dict.to_dict))


@bp.get("/all")
@permission("查询字典数据列表", DATA_MODULE)
@doc("All dictionary entries of a type", query=DictAllForm, data=items_of(DICT))
def list_all_dicts():
    """List every entry of a type (or of all types), unpaginated."""
    form = DictAllForm().validate_or_raise()
    statement = select(Dict).order_by(*DICT_ORDER)
    if form.type.data:
        statement = statement.where(Dict.type == form.type.data)
    return ok({"items": [row.to_dict() for row in db.session.scalars(statement)]})


@bp.get("/<int:id>")
@permission("查询字典数据列表", DATA_MODULE)
@doc("Get a dictionary entry", data=DICT, path=path_ids("id"))
def get_dict(id: int):
    """Get one dictionary entry."""
    return ok(content.get_dict(id).to_dict())


@bp.post("")
@permission("新建字典数据", DATA_MODULE)
@doc("Create a dictionary entry", body=DictCreateForm, data=DICT, status=201)
def create_dict():
    """Create an entry in an existing dictionary type."""
    form = DictCreateForm().validate_or_raise()
    return created(content.create_dict(form.data).to_dict())


@bp.put("/<int:id>")
@permission("更新字典数据", DATA_MODULE)
@doc("Update a dictionary entry", body=DictUpdateForm, data=DICT, status=201, path=path_ids("id"))
def update_dict(id: int):
    """Update the fields sent (the CMS sends the whole row; other keys are ignored)."""
    form = DictUpdateForm().validate_or_raise()
    return created(content.update_dict(id, form.present()).to_dict())


@bp.delete("/<int:id>")
@permission("删除字典数据", DATA_MODULE)
@doc("Delete a dictionary entry", data=ID, status=202, path=path_ids("id"))
def delete_dict(id: int):
    """Delete one dictionary entry."""
    content.delete_dict(id)
    return deleted({"id": id})
