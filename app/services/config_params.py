"""Config parameters: typed values (stored as text, answered as JSON of their `value_type`).

`parse_value` (declared beside the Config model) reads a stored text as its type; `store_value`
turns what a client sent into the stored text, or raises ConfigValueInvalid. The write workflows
below keep built-in rows' key and types fixed.
"""

import json
import re
from decimal import Decimal

from sqlalchemy import select

from app.core.exceptions import (
    ConfigNotFound,
    ConfigProtected,
    ConfigValueInvalid,
    Duplicated,
    ParameterException,
)
from app.core.forms import MONEY_MAX
from app.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from app.extensions import db
from app.models import Config
from app.models.base import assign
from app.models.system import BOOL_WORDS, parse_value
from app.models.system import KEY_PATTERN as KEY_PATTERN  # declared with the model
from app.models.system import VALUE_TYPES as VALUE_TYPES

MAX_VALUE_LENGTH = 255
PAGE_SIZE_KEY = "sys.paginator.size"
_INT_TEXT = re.compile(r"-?[0-9]{1,18}")


def _json_default(value):
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    raise ValueError("not a JSON number")


def store_value(value, value_type: str) -> str:
    """The text to store for `value` (a string, or a JSON value of the type)."""
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        raise ParameterException(
            f"value: Must be at most {MAX_VALUE_LENGTH} characters.",
            errors={"value": [f"Must be at most {MAX_VALUE_LENGTH} characters."]},
        )
    text = _convert(value, value_type)
    if len(text) > MAX_VALUE_LENGTH:
        raise ConfigValueInvalid(f"The value is longer than {MAX_VALUE_LENGTH} characters")
    return text


def _convert(value, value_type: str) -> str:
    if value_type == "str":
        if isinstance(value, str):
            return value
        raise ConfigValueInvalid("The value must be a string")
    if value_type == "int":
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18:
            return str(value)
        if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
            return str(int(value))
        raise ConfigValueInvalid("The value must be an integer")
    if value_type == "bool":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.strip().lower() in BOOL_WORDS:
            return "true" if BOOL_WORDS[value.strip().lower()] else "false"
        raise ConfigValueInvalid("The value must be a boolean")
    # json: a string is JSON text; any other value is the JSON value itself
    try:
        if isinstance(value, str):
            json.loads(value, parse_constant=_reject_constant, parse_float=_finite_float)
            return value
        return json.dumps(
            value,
            ensure_ascii=False,
            allow_nan=False,
            default=_json_default,
            separators=(",", ":"),
        )
    except ValueError:
        raise ConfigValueInvalid("The value must be valid JSON (no NaN or Infinity)") from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return number


# ----------------------------------------------------------------- workflows

CONFIG_FIELDS = ("name", "key", "value_type", "type", "public", "remark")
PROTECTED_FIELDS = ("key", "value_type", "type")


def get_config(config_id: int):
    # Flask's int converter accepts ids of any size; SQLite cannot bind integers past 64 bits.
    row = db.session.get(Config, config_id) if 0 < config_id < 2**63 else None
    if row is None:
        raise ConfigNotFound()
    return row


def find_config(key: str, *, private: bool = True):
    """The row with this key; without `private`, a row that is not public answers exactly as
    a missing one (404 / ConfigNotFound), so its existence is not told."""
    row = db.session.scalar(select(Config).where(Config.key == key))
    if row is None or not (row.public or private):
        raise ConfigNotFound()
    return row


def config_value(key: str, default=None):
    """A parameter's typed value for server code, or `default` when the row is missing."""
    row = db.session.scalar(select(Config).where(Config.key == key))
    return default if row is None else parse_value(row.value, row.value_type)


def money_values(keys) -> dict:
    """Parameters holding amounts (`"8.00"`), read in one statement: a missing row, or a
    value that is not an amount of at most two decimals from 0, counts as 0.00."""
    statement = select(Config.key, Config.value).where(Config.key.in_(keys))
    return amounts_of(keys, dict(db.session.execute(statement).all()))


def amounts_of(keys, values: dict) -> dict:
    """`money_values` of raw values read by the caller ({key: text}, a key may be missing)."""
    return {key: _amount(values.get(key)) for key in keys}


def _amount(text) -> Decimal:
    zero = Decimal("0.00")
    try:
        value = Decimal(str(text).strip())
    except (ArithmeticError, ValueError):
        return zero
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return zero
    return min(value, MONEY_MAX).quantize(Decimal("0.01"))


def default_page_size() -> int:
    """The `sys.paginator.size` parameter: the page size of a list request that sends none
    (DEFAULT_PAGE_SIZE when the row is missing or out of range)."""
    value = db.session.scalar(select(Config.value).where(Config.key == PAGE_SIZE_KEY))
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if 1 <= size <= MAX_PAGE_SIZE else DEFAULT_PAGE_SIZE


def _check_key_free(key: str, own_id: int | None = None) -> None:
    other = db.session.scalar(select(Config.id).where(Config.key == key))
    if other is not None and other != own_id:
        raise Duplicated("A config parameter with this key already exists")


def create_config(values: dict):
    _check_key_free(values["key"])
    value_type = values.get("value_type", "str")
    row = Config(
        name=values["name"],
        key=values["key"],
        value=store_value(values["value"], value_type),
        value_type=value_type,
        type=values.get("type", False),
        public=values.get("public", False),
        remark=values.get("remark") or "",
    )
    db.session.add(row)
    db.session.commit()
    return row


def update_config(config_id: int, values: dict):
    """Change the fields sent; built-in rows keep their key, value type and built-in flag."""
    row = get_config(config_id)
    if row.type:
        for name in PROTECTED_FIELDS:
            if name in values and values[name] != getattr(row, name):
                raise ConfigProtected()
    if "key" in values and values["key"] != row.key:
        _check_key_free(values["key"], row.id)
    value_type = values.get("value_type", row.value_type)
    sent, current = values.get("value"), row.typed_value
    unchanged = value_type == row.value_type and type(sent) is type(current) and sent == current
    if "value" in values and not unchanged:
        # a row sent back as fetched carries the rendered value; that keeps the stored text
        row.value = store_value(values["value"], value_type)
    elif value_type != row.value_type:
        # the stored text must still make sense under the new type
        row.value = store_value(row.value, value_type)
    assign(row, values, CONFIG_FIELDS)
    db.session.commit()
    return row


def set_config_value(key: str, value):
    row = find_config(key)
    row.value = store_value(value, row.value_type)
    db.session.commit()
    return row


def delete_config(config_id: int) -> None:
    row = get_config(config_id)
    if row.type:
        raise ConfigProtected()
    db.session.delete(row)
    db.session.commit()
