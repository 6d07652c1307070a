"""Admin config parameters: list, read by id or key, create, update, delete."""

import re

from flask import Blueprint
from sqlalchemy import or_, select

from app.core.auth import current_user, has_permission, permission, public
from app.core.docs import ANY, BOOL, ID, INT, STR, TIME, doc, obj, page_of, path_ids
from app.core.exceptions import ParameterException
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.models import Config
from app.services import config_params
from app.validators.content import (
    ConfigCreateForm,
    ConfigListForm,
    ConfigUpdateForm,
    ConfigValueForm,
)

bp = Blueprint("config", __name__, url_prefix="/config")

MODULE = "参数"
READ = "查询参数配置列表"

CONFIG = obj(
    ["id", "name", "key", "value", "value_type", "type", "public", "remark", "create_time"],
    id=INT,
    name=STR,
    key=STR,
    value={**ANY, "description": "typed by value_type: str, int, bool or parsed json"},
    value_type={"type": "string", "enum": list(config_params.VALUE_TYPES)},
    type=BOOL,
    public=BOOL,
    remark=STR,
    create_time=TIME,
    update_time=TIME,
)
KEY_PATH = {"key": {"type": "string", "pattern": "^" + config_params.KEY_PATTERN + "$"}}


def _checked_key(key: str) -> str:
    if not re.fullmatch(config_params.KEY_PATTERN, key):
        message = "Use only letters, digits, '.', '_' and '-' (1 to 64 characters)."
        raise ParameterException(f"key: {message}", errors={"key": [message]})
    return key


def _is_reader() -> bool:
    """The check of 查询参数配置列表, applied by hand because the key route is public."""
    user = current_user()
    return user is not None and has_permission(user, MODULE, READ)


@bp.get("/list")
@permission(READ, MODULE)
@doc("List config parameters", query=ConfigListForm, data=page_of(CONFIG))
def list_configs():
    """List config parameters by id, optionally filtered by name or key."""
    form = ConfigListForm().validate_or_raise()
    statement = select(Config).order_by(Config.id)
    if form.keyword.data:
        keyword = form.keyword.data
        statement = statement.where(
            or_(
                Config.name.contains(keyword, autoescape=True),
                Config.key.contains(keyword, autoescape=True),
            )
        )
    return ok(paginate(statement, form, Config.to_dict))


@bp.get("/<int:id>")
@permission(READ, MODULE)
@doc("Get a config parameter", data=CONFIG, path=path_ids("id"))
def get_config(id: int):
    """Get one config parameter."""
    return ok(config_params.get_config(id).to_dict())


@bp.get("/key/<key>")
@public
@doc("Get a config parameter by key", data=CONFIG, path=KEY_PATH)
def get_config_by_key(key: str):
    """Get a parameter by key: public rows for anyone, others with the read permission."""
    row = config_params.find_config(_checked_key(key), private=_is_reader())
    return ok(row.to_dict())


@bp.post("")
@permission("新建参数配置", MODULE)
@doc("Create a config parameter", body=ConfigCreateForm, data=CONFIG, status=201)
def create_config():
    """Create a config parameter."""
    form = ConfigCreateForm().validate_or_raise()
    return created(config_params.create_config(form.data).to_dict())


@bp.put("/<int:id>")
@permission("更新参数配置", MODULE)
@doc(
    "Update a config parameter", body=ConfigUpdateForm, data=CONFIG, status=201, path=path_ids("id")
)
def update_config(id: int):
    """Update the fields sent; built-in rows keep their key and types."""
    form = ConfigUpdateForm().validate_or_raise()
    return created(config_params.update_config(id, form.present()).to_dict())


@bp.put("/key/<key>")
@permission("更新参数配置", MODULE)
@doc("Set a config parameter's value", body=ConfigValueForm, data=CONFIG, status=201, path=KEY_PATH)
def update_config_value(key: str):
    """Save a new value for the parameter with this key."""
    _checked_key(key)
    form = ConfigValueForm().validate_or_raise()
    return created(config_params.set_config_value(key, form.value.data).to_dict())


@bp.delete("/<int:id>")
@permission("删除参数配置", MODULE)
@doc("Delete a config parameter", data=ID, status=202, path=path_ids("id"))
def delete_config(id: int):
    """Delete a parameter that is not built in."""
    config_params.delete_config(id)
    return deleted({"id": id})
