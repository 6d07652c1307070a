"""What every response shape is built from: the `Shape` base class, its fields, collections.

A shape is a marshmallow schema that lists the fields of one answer, in answer order. The same
class serializes (`ProductSummary.serialize(product)`) and documents: `@doc(data=ProductSummary)`
puts it in the spec as `#/definitions/ProductSummary` and dumps what the view returns.

Audiences are explicit classes, chosen by the view: a shape answers the customer audience (times
as Unix seconds); a subclass that sets `audience = ADMIN` (and usually adds fields) answers the
admin audience, whose `Time` fields are local "YYYY-MM-DD HH:MM:SS" strings.

A shape may name the fields it `answers`, in answer order. Each name is the field declared in
the class, else the field of that name of a `FieldGroup` it mixes in (fields several shapes
answer alike), else the column of that name of the shape's `model`, typed by `column_field`:
the column says once whether it is an integer, text, money or a time, and whether it may be
null. So a shape declares only the fields that differ: computed, renamed, or typed otherwise
than their columns. A subclass answers its parent's fields, then its own `answers`; a shape
without `answers` answers its declared fields in class order.

    class Category(Shape):               # /v1
        model = models.Category
        answers = "id name description image"
        image = ImageUrl(attribute="topic_img")

    class AdminCategory(Category):       # /v2 and /cms
        audience = ADMIN
        answers = "topic_img_id product_count create_time update_time"
        product_count = Int()            # a query (column_property), not a column
"""

import copy
from decimal import Decimal

from marshmallow import Schema, fields, missing
from marshmallow.schema import SchemaMeta
from sqlalchemy import Boolean, Column, Integer, String, inspect

from app.core.timefmt import format_time
from app.models.base import Money as MoneyColumn
from app.models.base import money_text
from app.models.order import absolute_url

CUSTOMER, ADMIN = "customer", "admin"
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


def _shape_of(field: fields.Field):
    """The shape a (possibly nested-in-a-list) field belongs to."""
    parent = field.parent
    while isinstance(parent, fields.Field):
        parent = parent.parent
    return parent


class FieldGroup:
    """Fields several shapes answer alike, as a mixin: a shape that names one of them in
    `answers` answers it there (the others it does not answer)."""

    group_fields: dict[str, fields.Field] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # kept off the class: a shape mixing the group in must not see them as attributes
        own = {name: value for name, value in vars(cls).items() if isinstance(value, fields.Field)}
        for name in own:
            delattr(cls, name)
        cls.group_fields = {**cls.group_fields, **own}


class ShapeMeta(SchemaMeta):
    """Orders a shape's fields: its parent shape's, then those it `answers` (see above)."""

    @classmethod
    def get_declared_fields(mcs, klass, cls_fields, inherited_fields, dict_cls=dict):
        answers = klass.__dict__.get("answers")
        if answers is not None:
            cls_fields = _answer_fields(klass, answers, dict(cls_fields))
        return super().get_declared_fields(klass, cls_fields, inherited_fields, dict_cls)


def _answer_fields(klass, answers, declared: dict) -> list[tuple[str, fields.Field]]:
    names = " ".join(answers).split() if isinstance(answers, tuple) else answers.split()
    unnamed = set(declared) - set(names)
    if unnamed:
        raise TypeError(f"{klass.__name__} declares fields it does not answer: {sorted(unnamed)}")
    grouped = {}
    for base in reversed(klass.__mro__):
        grouped.update(vars(base).get("group_fields", {}))
    return [(name, _answer_field(klass, name, declared, grouped)) for name in names]


def _answer_field(klass, name: str, declared: dict, grouped: dict) -> fields.Field:
    if name in declared:
        return declared[name]
    if name in grouped:
        return copy.deepcopy(grouped[name])
    if klass.model is None:
        raise TypeError(f"{klass.__name__} answers {name}: declare it, or give the shape a model")
    return column_field(klass.model, name)


class Shape(Schema, metaclass=ShapeMeta):
    """A response shape (dump only).

    `serialize` writes what `Shape().dump(obj)` writes (tests/schemas checks it for every
    shape) through a plan compiled once per class: marshmallow's generic dump costs about three
    times a hand-written dict, which uncached catalog lists would notice.
    """

    audience = CUSTOMER
    model = None  # the model whose columns `answers` names
    answers: str | tuple[str, ...] | None = None  # field names in answer order (see above)

    @classmethod
    def _instance(cls) -> "Shape":
        instance = cls.__dict__.get("_shared")
        if instance is None:
            instance = cls()
            cls._shared = instance
        return instance

    @classmethod
    def _plan(cls) -> list:
        plan = cls.__dict__.get("_compiled")
        if plan is None:
            plan = [
                (field.data_key or name, field.attribute or name, *_reader_writer(field))
                for name, field in cls._instance().dump_fields.items()
            ]
            cls._compiled = plan
        return plan

    @classmethod
    def serialize(cls, obj) -> dict:
        out = {}
        is_dict = isinstance(obj, dict)
        for key, attr, read, write, default in cls._plan():
            if read is not None:
                value = read(obj)
            else:
                value = obj.get(attr, missing) if is_dict else getattr(obj, attr, missing)
            if value is missing:
                if default is missing:
                    continue
                value = default
            out[key] = write(value, attr, obj)
        return out

    @classmethod
    def serialize_many(cls, objs) -> list[dict]:
        serialize = cls.serialize
        return [serialize(obj) for obj in objs]

    @classmethod
    def definition_name(cls) -> str:
        return cls.__name__


def _writer(field: fields.Field):
    """value -> JSON for one field, as field._serialize would write it."""
    if isinstance(field, Computed):
        return _writer(field.like)
    if isinstance(field, fields.Nested):
        shape = field.nested
        return lambda value, attr, obj: None if value is None else shape.serialize(value)
    if isinstance(field, fields.List):
        inner = _writer(field.inner)
        return lambda value, attr, obj: (
            None if value is None else [inner(each, attr, obj) for each in value]
        )
    if type(field) in (fields.Integer, fields.String) and not field.allow_none:
        convert = int if isinstance(field, fields.Integer) else str
        return lambda value, attr, obj: None if value is None else convert(value)
    return field._serialize


def _reader_writer(field: fields.Field) -> tuple:
    read = None
    if isinstance(field, Computed):
        read = field.get
    elif isinstance(field, fields.Constant):
        constant = field.constant
        read = lambda obj: constant  # noqa: E731
    default = field.dump_default
    return read, _writer(field), default() if callable(default) else default


_ADMIN_VIEWS: dict[type, type] = {}


def admin_view(shape: type[Shape]) -> type[Shape]:
    """The admin-audience view of a shape that adds no field: the same fields, local times."""
    if shape not in _ADMIN_VIEWS:
        _ADMIN_VIEWS[shape] = type(f"Admin{shape.__name__}", (shape,), {"audience": ADMIN})
    return _ADMIN_VIEWS[shape]


# ------------------------------------------------------------------ fields
# The standard marshmallow fields are documented by app/core/docs.py; the fields below describe
# themselves with json_schema(). `allow_none=True` marks a field that may be null.

Int = fields.Integer
Str = fields.String
Bool = fields.Boolean
List = fields.List
Nested = fields.Nested


class Money(fields.Field):
    """Exact money as a string with two decimals ("12.50"); stored text passes through."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None if self.allow_none else money_text(None)
        if isinstance(value, str):
            return value
        return money_text(Decimal(value))

    def json_schema(self, shape=None) -> dict:
        return {"type": "string", "pattern": MONEY_PATTERN, "example": "12.50"}


class Time(fields.Field):
    """A *_time column: Unix seconds for the customer audience, local text for admins."""

    def _bind_to_schema(self, field_name, parent):
        super()._bind_to_schema(field_name, parent)
        self.local = getattr(_shape_of(self), "audience", CUSTOMER) == ADMIN

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return format_time(value) if self.local else int(value)

    def json_schema(self, shape=None) -> dict:
        if getattr(shape, "audience", CUSTOMER) == ADMIN:
            return {"type": "string", "example": "2024-01-31 18:30:00"}
        return {"type": "integer", "description": "Unix seconds"}


class ImageUrl(fields.Field):
    """The absolute URL of an Image row ("" when there is none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.absolute_url if value is not None else ""

    def json_schema(self, shape=None) -> dict:
        return {"type": "string"}


class SnapshotUrl(fields.Field):
    """An image URL kept in an order snapshot, made absolute ("" when there is none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return absolute_url(value or "")

    def json_schema(self, shape=None) -> dict:
        return {"type": "string"}


class Text(fields.Field):
    """Any stored value as text; null and missing answer ""."""

    def __init__(self, **kwargs):
        super().__init__(dump_default="", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return "" if value is None else str(value)

    def json_schema(self, shape=None) -> dict:
        return {"type": "string"}


class Computed(fields.Field):
    """A value computed from the whole object by `get`, written and documented like `like`."""

    def __init__(self, get, like: fields.Field, **kwargs):
        super().__init__(**kwargs)
        self.get, self.like = get, like

    def _bind_to_schema(self, field_name, parent):
        super()._bind_to_schema(field_name, parent)
        self.like._bind_to_schema(field_name, self)

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.get(obj)

    def _serialize(self, value, attr, obj, **kwargs):
        return self.like._serialize(value, attr, obj, **kwargs)


def column_field(model, name: str) -> fields.Field:
    """The field a model column answers as: an integer column named *_time as Time, other
    integers as Int, text as Str, booleans as Bool, money as Money; null where it may be null."""
    column = inspect(model).columns.get(name)
    if column is None:
        raise TypeError(f"{model.__name__} has no column {name}: declare its field")
    kind = column.type
    if not isinstance(column, Column):  # a column_property: a query, not a stored column
        raise TypeError(f"{model.__name__}.{name} is not a column, declare its field")
    if isinstance(kind, Integer):
        field = Time if name.endswith("_time") else Int
    elif isinstance(kind, String):
        field = Str
    elif isinstance(kind, Boolean):
        field = Bool
    elif isinstance(kind, MoneyColumn):
        field = Money
    else:
        raise TypeError(f"{model.__name__}.{name}: no field for {type(kind).__name__}, declare one")
    return field(allow_none=bool(column.nullable))


# ------------------------------------------------------------- collections

_COLLECTIONS: dict[tuple, type] = {}


def _collection(kind: str, shape: type[Shape], build) -> type[Shape]:
    key = (kind, shape)
    if key not in _COLLECTIONS:
        attrs = build(shape)
        attrs["audience"] = shape.audience
        _COLLECTIONS[key] = type(f"{shape.__name__}{kind}", (Shape,), attrs)
    return _COLLECTIONS[key]


def Items(shape: type[Shape]) -> type[Shape]:  # noqa: N802 (reads as a type)
    """{"items": [shape, ...]}"""
    return _collection("Items", shape, lambda s: {"items": List(Nested(s))})


def Page(shape: type[Shape]) -> type[Shape]:  # noqa: N802
    """One page of shape: {items, total, current_page, total_page} (see core/pagination)."""
    return _collection(
        "Page",
        shape,
        lambda s: {
            "items": List(Nested(s)),
            "total": Int(),
            "current_page": Int(),
            "total_page": Int(),
        },
    )


class ArrayOf:
    """A bare JSON array of shape (the few answers that are not objects)."""

    def __init__(self, shape: type[Shape]):
        self.shape = shape

    def serialize(self, objs) -> list[dict]:
        return self.shape.serialize_many(objs)

    def json_schema(self, ref: dict) -> dict:
        return {"type": "array", "items": ref}


class MapOf:
    """An object whose keys are data (e.g. module names), each holding an array of shape."""

    def __init__(self, shape: type[Shape], description: str = ""):
        self.shape, self.description = shape, description

    def serialize(self, grouped: dict) -> dict:
        serialize_many = self.shape.serialize_many
        return {key: serialize_many(objs) for key, objs in grouped.items()}

    def json_schema(self, ref: dict) -> dict:
        schema = {"type": "object", "additionalProperties": {"type": "array", "items": ref}}
        if self.description:
            schema["description"] = self.description
        return schema


class FlagMap:
    """An object whose keys are data (e.g. product ids) and whose values are booleans."""

    def __init__(self, description: str = ""):
        self.description = description

    def serialize(self, flags: dict) -> dict:
        return {str(key): bool(value) for key, value in flags.items()}

    def json_schema(self) -> dict:
        schema = {"type": "object", "additionalProperties": {"type": "boolean"}}
        if self.description:
            schema["description"] = self.description
        return schema
