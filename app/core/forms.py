"""WTForms fed from the JSON body or the query string, with strict JSON-aware fields.

A field knows whether the client sent it (`present`), so updates change only what was sent.
Values reach the fields as parsed JSON (not as text), so `true`, `1.5` and `"{1}"` are told apart
from integers and strings.
"""

import re
from decimal import Decimal, InvalidOperation

from flask import current_app, request
from wtforms import Form
from wtforms.fields import Field
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from app.core.exceptions import ParameterException, body_too_large
from app.core.json import JSONTooDeep

_MISSING = object()


class Setting:
    """A limit that lives in the app config (e.g. ORDER_MAX_COUNT), read when a form validates.

    Forms are declared at import time, before any config exists, so a field holds this reference
    instead of a number. The docs put it into the view's spec; flasgger deep-copies every spec
    when it builds the document inside a request, and the copy is the configured value, so the
    spec states the same limit the validation applies.
    """

    def __init__(self, key: str):
        self.key = key

    def value(self):
        return current_app.config[self.key]

    def __deepcopy__(self, memo):
        return self.value()

    def __repr__(self):
        return f"Setting({self.key!r})"


def resolve(limit):
    """A field limit as a value: a Setting is read from the config, anything else is kept."""
    return limit.value() if isinstance(limit, Setting) else limit


# ---------------------------------------------------------------- request data


def _query_dict() -> dict:
    # An optional parameter sent empty (`?start=`) counts as absent.
    return {key: value for key, value in request.args.items() if value != ""}


def json_body():
    """The parsed JSON body; an empty body is {}. Anything unreadable is a 400."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if len(raw) > current_app.config["JSON_MAX_LENGTH"]:
        raise body_too_large()
    if (
        request.mimetype
        and request.mimetype != "application/json"
        and not request.mimetype.endswith("+json")
    ):
        raise ParameterException("Send the body as JSON with Content-Type: application/json")
    try:
        return current_app.json.loads(raw.decode("utf-8"))
    except JSONTooDeep as error:
        raise ParameterException(str(error)) from None
    except (ValueError, UnicodeDecodeError):
        raise ParameterException("The request body is not valid JSON") from None


def request_data() -> dict:
    """Parameters of this request: the query string, plus the JSON object body for POST/PUT."""
    data = _query_dict()
    if request.method in ("POST", "PUT", "PATCH"):
        body = json_body()
        if not isinstance(body, dict):
            raise ParameterException("The request body must be a JSON object")
        data.update(body)
    return data


class _JSONData:
    """The formdata interface WTForms expects, holding parsed JSON values."""

    def __init__(self, data: dict):
        self._data = data

    def __contains__(self, key):
        return key in self._data

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def getlist(self, key):
        return [self._data[key]] if key in self._data else []


# ---------------------------------------------------------------------- fields


class JSONField(Field):
    """Base of every field: presence, requiredness, nullability and a default."""

    json_type = "string"

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        required=False,
        default=None,
        nullable=False,
        description="",
        **kwargs,
    ):
        super().__init__(label, validators, default=default, description=description, **kwargs)
        self.required = required
        self.nullable = nullable
        self.present = False

    def process(self, formdata, data=_MISSING, extra_filters=None):
        self.process_errors = []
        self.raw_data = formdata.getlist(self.name) if formdata is not None else []
        self.present = bool(self.raw_data)
        self.data = self.default() if callable(self.default) else self.default
        if not self.present:
            return
        value = self.raw_data[0]
        if value is None:
            if self.nullable:
                self.data = None
            else:
                self.process_errors.append("May not be null.")
            return
        try:
            self.data = self.convert(value)
        except ValueError as error:
            self.process_errors.append(error.args[0])

    def convert(self, value):
        return value

    def pre_validate(self, form):
        if self.required and not self.present:
            raise StopValidation("This field is required.")

    def schema(self) -> dict:
        """OpenAPI description of the field (used by the docs)."""
        out = {"type": self.json_type}
        if self.description:
            out["description"] = self.description
        return out


def _range_message(low, high) -> str:
    if low is not None and high is not None:
        return f"Must be {low} to {high}."
    if low is not None:
        return f"Must be at least {low}."
    return f"Must be at most {high}."


class StringField(JSONField):
    def __init__(
        self,
        label=None,
        validators=None,
        *,
        min_length=0,
        max_length=255,
        trim=True,
        pattern=None,
        pattern_message="Has an invalid format.",
        length_message=None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.min_length, self.max_length, self.trim = min_length, max_length, trim
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_message = pattern_message
        self.length_message = length_message

    def _length_error(self) -> str:
        if self.length_message:
            return self.length_message
        if self.min_length == self.max_length:
            return f"Must be exactly {self.max_length} characters."
        if self.min_length:
            return f"Must be {self.min_length} to {self.max_length} characters."
        return f"Must be at most {self.max_length} characters."

    def convert(self, value):
        if not isinstance(value, str):
            raise ValueError("Not a valid string.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates ("\ud800") cannot be stored
            raise ValueError("Not a valid string.") from None
        if self.trim:
            value = value.strip()
        if not self.min_length <= len(value) <= self.max_length:
            raise ValueError(self._length_error())
        if self.pattern and value and not self.pattern.fullmatch(value):
            raise ValueError(self.pattern_message)
        return value

    def schema(self):
        out = super().schema()
        out["maxLength"] = self.max_length
        if self.min_length:
            out["minLength"] = self.min_length
        if self.pattern is not None:
            out["pattern"] = "^" + self.pattern.pattern + "$"  # fullmatch, as validated
        return out


INT_LIMIT = 2**31 - 1  # every integer column is a 32-bit INTEGER


def parse_int(value, low: int = -INT_LIMIT, high: int = INT_LIMIT) -> int:
    """An integer from a JSON integer or a string of digits, within low..high (the column's
    range by default); anything else is a ValueError naming the range."""
    if isinstance(value, bool):
        raise ValueError("Not a valid integer.")
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        value = int(value)
    if not isinstance(value, int):
        raise ValueError("Not a valid integer.")
    if not low <= value <= high:
        raise ValueError(_range_message(low, high))
    return value


class StatusListField(StringField):
    """One status of `statuses` (an IntEnum) or a comma list of them ("1", "2,3"), converted to
    the sorted distinct values; `noun` names the statuses in the description and the error."""

    def __init__(self, label=None, validators=None, *, statuses, noun, example, **kwargs):
        self.status_values = {int(status) for status in statuses}
        self.noun = noun
        super().__init__(
            label,
            validators,
            max_length=40,
            description=f"{noun} status, or a comma list such as {example}",
            **kwargs,
        )

    def convert(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = super().convert(value)
        parts = [part.strip() for part in text.split(",")]
        if not all(part.isdigit() and int(part) in self.status_values for part in parts):
            low, high = min(self.status_values), max(self.status_values)
            raise ValueError(f"Must be {self.noun} statuses ({low} to {high}), comma-separated.")
        return sorted({int(part) for part in parts})


class IntegerField(JSONField):
    """An integer within min_value..max_value (numbers or Settings), and always within the
    32-bit column range: the message names the tightest of these bounds."""

    json_type = "integer"

    def __init__(self, label=None, validators=None, *, min_value=None, max_value=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min_value, self.max_value = min_value, max_value

    def bounds(self) -> tuple[int, int]:
        low, high = resolve(self.min_value), resolve(self.max_value)
        return (
            -INT_LIMIT if low is None else max(int(low), -INT_LIMIT),
            INT_LIMIT if high is None else min(int(high), INT_LIMIT),
        )

    def convert(self, value):
        return parse_int(value, *self.bounds())

    def schema(self):
        out = super().schema()
        out["minimum"] = -INT_LIMIT if self.min_value is None else self.min_value
        out["maximum"] = INT_LIMIT if self.max_value is None else self.max_value
        return out


class EnumField(JSONField):
    """One of a fixed set of integers or strings."""

    def __init__(self, label=None, validators=None, *, choices=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices = tuple(choices)
        self.json_type = "integer" if all(isinstance(c, int) for c in self.choices) else "string"

    def convert(self, value):
        if self.json_type == "integer":
            value = parse_int(value)
        elif not isinstance(value, str):
            raise ValueError("Not a valid string.")
        if value not in self.choices:
            raise ValueError("Must be one of " + ", ".join(map(str, self.choices)) + ".")
        return value

    def schema(self):
        return {**super().schema(), "enum": list(self.choices)}


class BooleanField(JSONField):
    json_type = "boolean"
    _words = {"true": True, "false": False, "1": True, "0": False}

    def convert(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in self._words:
            return self._words[value.strip().lower()]
        raise ValueError("Not a valid boolean.")


MONEY_MAX = Decimal("99999999.99")  # every money column is DECIMAL(10,2)


class MoneyField(JSONField):
    """An exact amount with at most two decimals, from a string or a JSON number."""

    _pattern = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        min_value=Decimal("0.01"),
        max_value=MONEY_MAX,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.min_value, self.max_value = Decimal(min_value), Decimal(max_value)

    def convert(self, value):
        if isinstance(value, bool):
            raise ValueError("Not a valid amount.")
        if isinstance(value, int):
            value = Decimal(value)
        if isinstance(value, str):
            if not self._pattern.fullmatch(value.strip()):
                raise ValueError("Not a valid amount: use a number with at most two decimals.")
            value = Decimal(value.strip())
        if not isinstance(value, Decimal):
            raise ValueError("Not a valid amount.")
        try:
            exact = value.quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError("Not a valid amount.") from None
        if exact != value:
            raise ValueError("Not a valid amount: use at most two decimals.")
        if not self.min_value <= exact <= self.max_value:
            raise ValueError(_range_message(self.min_value, self.max_value))
        return exact

    def schema(self):
        return {
            "type": "string",
            "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$",
            "description": f'Money in yuan, e.g. "12.50", {self.min_value} to {self.max_value}',
        }


class UnixTimeField(JSONField):
    """Unix seconds as an integer or a decimal number (the fraction is dropped)."""

    json_type = "number"

    def convert(self, value):
        if isinstance(value, bool):
            raise ValueError("Not a valid Unix time.")
        if isinstance(value, str):
            try:
                value = Decimal(value.strip())
            except InvalidOperation:
                raise ValueError("Not a valid Unix time.") from None
        if isinstance(value, (int, Decimal)) and value == value and abs(value) < 10**12:
            return int(value)
        raise ValueError("Not a valid Unix time.")


def parse_id_list(value, *, min_count=0, max_count=100) -> list[int]:
    """Positive ids from "1,2,3" or a JSON array of integers, order kept, repeats removed."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")] if value.strip() else []
        if not all(re.fullmatch(r"[0-9]{1,18}", part) for part in parts):
            raise ValueError("Must be a comma-separated list of positive integers.")
        ids = [int(part) for part in parts]
    elif isinstance(value, list):
        if any(isinstance(item, bool) or not isinstance(item, int) for item in value):
            raise ValueError("Must be a list of positive integers.")
        ids = list(value)
    else:
        raise ValueError("Must be a list of positive integers.")
    if any(item < 1 or item > INT_LIMIT for item in ids):
        raise ValueError(f"Must be a list of integers 1 to {INT_LIMIT}.")
    ids = list(dict.fromkeys(ids))
    if not min_count <= len(ids) <= max_count:
        raise ValueError(_count_message(min_count, max_count, "ids"))
    return ids


def ids_in_path(value: str, *, field_errors: bool = False) -> list[int]:
    """The ids of an `<ids>` path segment (one id or a comma list); a 400 naming `ids` when it
    is not one (with `errors: {ids: [...]}` too when `field_errors`)."""
    try:
        return parse_id_list(value, min_count=1)
    except ValueError as error:
        errors = {"ids": [str(error)]} if field_errors else None
        raise ParameterException(f"ids: {error}", errors=errors) from None


def _count_message(low: int, high: int, what: str) -> str:
    return f"Must hold at most {high} {what}." if not low else f"Must hold {low} to {high} {what}."


def _list_schema(items: dict, min_count, max_count) -> dict:
    out = {"type": "array", "items": items, "maxItems": max_count}
    if min_count:
        out["minItems"] = min_count
    return out


class IdListField(JSONField):
    json_type = "array"

    def __init__(self, label=None, validators=None, *, min_count=0, max_count=100, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min_count, self.max_count = min_count, max_count

    def convert(self, value):
        return parse_id_list(
            value, min_count=resolve(self.min_count), max_count=resolve(self.max_count)
        )

    def schema(self):
        items = {"type": "integer", "minimum": 1, "maximum": INT_LIMIT}
        return {**super().schema(), **_list_schema(items, self.min_count, self.max_count)}


class FormListField(JSONField):
    """A JSON array of objects, each validated by a sub-form."""

    json_type = "array"

    def __init__(
        self, form_class, label=None, validators=None, *, min_count=0, max_count=100, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.form_class, self.min_count, self.max_count = form_class, min_count, max_count

    def convert(self, value):
        if not isinstance(value, list):
            raise ValueError("Must be a list.")
        low, high = resolve(self.min_count), resolve(self.max_count)
        if not low <= len(value) <= high:
            raise ValueError(_count_message(low, high, "items"))
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise ValueError(f"Item {index} must be an object.")
            form = self.form_class(item)
            if not form.validate():
                name, messages = next(iter(form.errors.items()))
                raise ValueError(f"Item {index}: {name}: {messages[0]}")
            items.append(form.present())
        return items

    def schema(self):
        items = self.form_class.json_schema()
        return {**super().schema(), **_list_schema(items, self.min_count, self.max_count)}


class RawField(JSONField):
    """Any JSON value, checked by the form itself (e.g. a config value typed by its row)."""

    json_type = "object"

    def schema(self):
        return {"description": self.description or "any JSON value"}


# ------------------------------------------------------------------------ form


class BaseForm(Form):
    """A form over request parameters: `BaseForm().validate_or_raise()` in a view."""

    def __init__(self, data: dict | None = None, **extra):
        source = request_data() if data is None else data
        source = {**source, **extra}
        super().__init__(formdata=_JSONData(source))

    def validate_or_raise(self):
        if not self.validate():
            errors = {name: list(messages) for name, messages in self.errors.items()}
            name, messages = next(iter(errors.items()))
            raise ParameterException(f"{name}: {messages[0]}", errors=errors)
        return self

    def present(self) -> dict:
        """The fields the client sent, with their converted values."""
        return {name: field.data for name, field in self._fields.items() if field.present}

    def value(self, name, default=None):
        field = self._fields[name]
        return field.data if field.present else default

    @classmethod
    def partial(cls, *, exclude=(), **changes) -> type["BaseForm"]:
        """The update form of a create form: the same fields in the same order, with the same
        rules and messages, but none required and none defaulted, so a PUT changes only what it
        sends. `exclude` leaves fields out (those only a create takes); `changes` maps a field
        name to the keyword arguments it takes instead (`username={"nullable": True}`, a
        description). The create form's `validate_<field>` checks are not carried over: they
        are rules about a whole new row. Named `<Resource>UpdateForm` for `<Resource>CreateForm`.
        """
        unknown = (set(exclude) | set(changes)) - {name for name, _ in _unbound(cls)}
        if unknown:
            raise TypeError(f"{cls.__name__}.partial: no fields {sorted(unknown)}")
        fields = {
            name: unbound.field_class(
                *unbound.args,
                **{**unbound.kwargs, "required": False, "default": None, **changes.get(name, {})},
            )
            for name, unbound in _unbound(cls)
            if name not in exclude
        }
        name = cls.__name__.replace("CreateForm", "UpdateForm")
        if name == cls.__name__:
            name = "Partial" + name
        return type(name, (BaseForm,), {"__module__": cls.__module__, **fields})

    @classmethod
    def json_schema(cls) -> dict:
        """An OpenAPI object schema of the form's fields."""
        properties, required = {}, []
        for name, unbound in cls._unbound_fields or _unbound(cls):
            field = unbound.bind(form=None, name=name, prefix="", _meta=DefaultMeta())
            properties[name] = field.schema()
            if field.nullable:
                properties[name]["x-nullable"] = True
            if field.required:
                required.append(name)
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema


def _unbound(cls):
    fields = []
    for name in dir(cls):
        if not name.startswith("_"):
            unbound = getattr(cls, name)
            if hasattr(unbound, "_formfield"):
                fields.append((name, unbound))
    fields.sort(key=lambda x: (x[1].creation_counter, x[0]))
    return fields


class PageForm(BaseForm):
    page = IntegerField(min_value=1, default=1)
    size = IntegerField(min_value=1, max_value=100)
