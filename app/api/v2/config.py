"""Admin config parameters: list, read by id or key, create, update, delete."""

import re

from flask import Blueprint
from sqlalchemy import select

from app.api.resource import Resource
from app.core.auth import current_user, has_permission, permission, public
from app.core.docs import doc
from app.core.exceptions import (
    ConfigNotFound,
    ConfigProtected,
    ConfigValueInvalid,
    Duplicated,
    Forbidden,
    InvalidToken,
    ParameterException,
)
from app.core.filters import keyword_filter
from app.core.pagination import paginate
from app.models import Config
from app.schemas import config as shapes
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


def _page(form):
    statement = select(Config).order_by(Config.id)
    statement = keyword_filter(statement, form.keyword.data, Config.name, Config.key)
    return paginate(statement, form)


configs = Resource(bp, MODULE, shape=shapes.Config, missing=[ConfigNotFound])
configs.list(
    "list_configs",
    READ,
    "List config parameters",
    "List config parameters by id, optionally filtered by name or key.",
    _page,
    form=ConfigListForm,
)
configs.get(
    "get_config",
    READ,
    "Get a config parameter",
    "Get one config parameter.",
    config_params.get_config,
)


configs.view(
    "GET",
    "/key/<key>",
    "get_config_by_key",
    public,
    "Get a config parameter by key",
    "Get a parameter by key: public rows for anyone, others with the read permission.",
    lambda key: config_params.find_config(_checked_key(key), private=_is_reader()),
    path=KEY_PATH,
    errors=[ConfigNotFound, InvalidToken, Forbidden],
)
configs.create(
    "create_config",
    "新建参数配置",
    "Create a config parameter",
    "Create a config parameter.",
    ConfigCreateForm,
    config_params.create_config,
    errors=[Duplicated, ConfigValueInvalid],
)
configs.update(
    "update_config",
    "更新参数配置",
    "Update a config parameter",
    "Update the fields sent; built-in rows keep their key and types.",
    ConfigUpdateForm,
    config_params.update_config,
    errors=[ConfigNotFound, ConfigProtected, Duplicated, ConfigValueInvalid],
)


@bp.put("/key/<key>")
@permission("更新参数配置", MODULE)
@doc(
    "Set a config parameter's value",
    body=ConfigValueForm,
    data=shapes.Config,
    status=201,
    path=KEY_PATH,
    errors=[ConfigNotFound, ConfigValueInvalid],
)
def update_config_value(key: str):
    """Save a new value for the parameter with this key."""
    _checked_key(key)
    form = ConfigValueForm().validate_or_raise()
    return config_params.set_config_value(key, form.value.data)


configs.delete(
    "delete_config",
    "删除参数配置",
    "Delete a config parameter",
    "Delete a parameter that is not built in.",
    config_params.delete_config,
    errors=[ConfigNotFound, ConfigProtected],
)
