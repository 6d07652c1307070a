"""OpenAPI docs built from the forms that validate requests and the shapes that answer them.

    @doc("Get a product", query=PageForm, body=ProductCreateForm, data=ProductDetail,
         errors=[ProductNotFound])

documents a view: parameters come from the form fields (with the limits their validators
enforce), the answer is the success envelope around `data`, and `errors` are the business
errors the view can raise (401/403 follow from its access declaration). When `data` is a shape
(a marshmallow schema of app/schemas), the view returns the object(s) to answer and `doc` dumps
them with that shape into the envelope of `status`; the spec names the shape once under
`#/definitions`. A view that needs another message returns `answer(obj, msg="...")`.

The spec itself is built by `ApiDocs.get_apispecs` below: one tag per resource blueprint (its
module docstring as description), operationId = endpoint, summary from @doc, description from
the view docstring, and no /cms copies (/cms mirrors /v2).
"""

import inspect
import re
import sys
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps

from flasgger import Swagger
from flask import Response, current_app
from marshmallow import Schema, fields
from wtforms.meta import DefaultMeta
from wtforms.validators import AnyOf, Length, NumberRange, Regexp

from app.core import exceptions
from app.core.forms import INT_LIMIT, IdListField, IntegerField, StringField, _unbound
from app.core.response import created, deleted, ok

ERROR_ENVELOPE = {
    "type": "object",
    "required": ["error_code", "msg", "request_url"],
    "properties": {
        "error_code": {"type": "integer"},
        "msg": {"type": "string"},
        "request_url": {"type": "string"},
        "errors": {"type": "object"},
        "detail": {"type": "object"},
    },
}

API_DESCRIPTION = """\
The customer API (`/v1`, the mini-program) and the admin API (`/v2`, the CMS).

**`/cms/...` mirrors `/v2/...`**: every `/v2` operation is also served under `/cms` with the same
parameters and answers (the CMS front end's prefix), so it is documented once, under `/v2`.

**Authorize**: paste the access token alone in the *bearer* box (this page sends it as
`Authorization: Bearer <token>`), or use *basic* with the token as the user name. Get a token
from `POST /v1/token`.

Every error answers the `Error` envelope; each operation lists the `error_code`s it can answer
under its HTTP statuses.
"""

SWAGGER_TEMPLATE = {
    "swagger": "2.0",
    "info": {
        "title": "mini-shop-server API",
        "description": API_DESCRIPTION,
        "version": "1.0.0",
    },
    "securityDefinitions": {
        "basic": {"type": "basic", "description": "The token as user name, any password."},
        "bearer": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": "Paste the token alone; the page adds the 'Bearer ' prefix.",
        },
    },
    "definitions": {"Error": ERROR_ENVELOPE},
}

SWAGGER_CONFIG = {
    "title": "mini-shop-server API",
    "headers": [],
    "specs": [{"endpoint": "apispec_1", "route": "/apispec_1.json"}],
    "static_url_path": "/flasgger_static",
    "swagger_ui": True,
    "specs_route": "/apidocs/",
}

# -- schema helpers


def obj(required=None, **properties) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def arr(items: dict) -> dict:
    return {"type": "array", "items": items}


def page_of(item: dict) -> dict:
    return obj(
        ["items", "total", "current_page", "total_page"],
        items=arr(item),
        total=INT,
        current_page=INT,
        total_page=INT,
    )


def items_of(item: dict) -> dict:
    return obj(["items"], items=arr(item))


def nullable(schema: dict) -> dict:
    return {**schema, "x-nullable": True}


INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
ANY = {}
# A *_time: Unix seconds on /v1, a formatted string on /v2 and /cms.
TIME = {"description": "Unix seconds on /v1; 'YYYY-MM-DD HH:MM:SS' on /v2 and /cms"}
OPT_TIME = {**TIME, "x-nullable": True}
ID = obj(["id"], id=INT)
IDS = obj(["ids"], ids=arr(INT))
EMPTY = {"type": "object"}

_STATUS_CODE = {200: 0, 201: 1, 202: 2}


def envelope(data: dict, status: int = 200) -> dict:
    return obj(
        ["error_code", "msg", "data"],
        error_code={"type": "integer", "enum": [_STATUS_CODE.get(status, 0)]},
        msg=STR,
        data=data,
    )


# -- shapes (marshmallow schemas) as JSON schema


def definition_ref(shape) -> dict:
    return {"$ref": f"#/definitions/{shape.definition_name()}"}


def field_schema(field: fields.Field, shape, nested: list) -> dict:
    """The JSON schema of one marshmallow field; nested shapes are appended to `nested`."""
    if hasattr(field, "like"):  # a Computed field is documented like the field it writes as
        schema = field_schema(field.like, shape, nested)
    elif hasattr(field, "json_schema"):
        schema = field.json_schema(shape)
    elif isinstance(field, fields.List):
        schema = {"type": "array", "items": field_schema(field.inner, shape, nested)}
    elif isinstance(field, fields.Nested):
        nested.append(field.nested)
        return definition_ref(field.nested)
    elif isinstance(field, fields.Boolean):
        schema = {"type": "boolean"}
    elif isinstance(field, fields.Integer):
        schema = {"type": "integer"}
    elif isinstance(field, fields.Number):
        schema = {"type": "number"}
    elif isinstance(field, fields.String):
        schema = {"type": "string"}
    elif isinstance(field, fields.Dict):
        schema = {"type": "object"}
    elif isinstance(field, fields.Constant):
        kind = {bool: "boolean", int: "integer", str: "string"}[type(field.constant)]
        schema = {"type": kind, "enum": [field.constant]}
    else:
        schema = {}
    if field.allow_none:
        schema["x-nullable"] = True
    if field.metadata.get("description"):
        schema["description"] = field.metadata["description"]
    return schema


def shape_schema(shape, nested: list) -> dict:
    properties, required = {}, []
    for name, field in shape._declared_fields.items():
        key = field.data_key or name
        properties[key] = field_schema(field, shape, nested)
        if not field.metadata.get("optional"):
            required.append(key)
    schema = {"type": "object", "required": required, "properties": properties}
    if shape.__doc__:
        schema["description"] = inspect.cleandoc(shape.__doc__).split("\n\n")[0]
    return schema


def shape_definitions(shape) -> dict:
    """The named definitions of a shape and of every shape it nests."""
    definitions, pending = {}, [shape]
    while pending:
        current = pending.pop()
        if current.definition_name() not in definitions:
            definitions[current.definition_name()] = shape_schema(current, pending)
    return definitions


def _is_shape(data) -> bool:
    return isinstance(data, type) and issubclass(data, Schema)


# -- forms (what comes in) as JSON schema, with the limits their validators enforce


def _bound_fields(form):
    for name, unbound in form._unbound_fields or _unbound(form):
        yield name, unbound.bind(form=None, name=name, prefix="", _meta=DefaultMeta())


def _limits(field) -> dict:
    """The bounds a form field enforces that its own schema() does not state."""
    out = {}
    if isinstance(field, IntegerField):
        out["minimum"], out["maximum"] = -INT_LIMIT, INT_LIMIT
    if isinstance(field, StringField) and field.pattern is not None:
        # the form checks fullmatch on non-empty values
        optional = "?" if not field.min_length else ""
        out["pattern"] = f"^(?:{field.pattern.pattern}){optional}$"
    if isinstance(field, IdListField):
        out["items"] = {"type": "integer", "minimum": 1, "maximum": INT_LIMIT}
        if field.min_count:
            out["minItems"] = field.min_count
    for validator in field.validators:
        if isinstance(validator, Length):
            if validator.min > 0:
                out["minLength"] = validator.min
            if validator.max > -1:
                out["maxLength"] = validator.max
        elif isinstance(validator, NumberRange):
            if validator.min is not None:
                out["minimum"] = validator.min
            if validator.max is not None:
                out["maximum"] = validator.max
        elif isinstance(validator, Regexp):
            out["pattern"] = validator.regex.pattern
        elif isinstance(validator, AnyOf):
            out["enum"] = list(validator.values)
    return out


def form_schema(form) -> dict:
    schema = form.json_schema()
    for name, field in _bound_fields(form):
        schema["properties"][name] = {**_limits(field), **schema["properties"][name]}
    return schema


def _form_parameters(form, where: str) -> list[dict]:
    params = []
    schema = form_schema(form)
    for name, field_schema_ in schema["properties"].items():
        param = {"name": name, "in": where, "required": name in schema.get("required", [])}
        kind = field_schema_.get("type", "string")
        if kind == "array":
            # Query lists are comma-separated ids, with the form's bounds on count and items.
            param.update(
                {k: v for k, v in field_schema_.items() if k in ("items", "minItems", "maxItems")},
                type="array",
                collectionFormat="csv",
                description=field_schema_.get("description") or "comma-separated ids",
            )
        elif kind == "object":
            param.update(type="string", description="JSON value")
        else:
            param.update({k: v for k, v in field_schema_.items() if k != "x-nullable"})
        params.append(param)
    return params


# -- errors an operation answers

# What an access declaration (app/core/auth.py) can answer before the view runs.
_ACCESS_ERRORS = {
    "login": [exceptions.InvalidToken, exceptions.ExpiredToken],
    "staff": [exceptions.InvalidToken, exceptions.ExpiredToken, exceptions.Forbidden],
    "super": [exceptions.InvalidToken, exceptions.ExpiredToken, exceptions.Forbidden],
    "perm": [exceptions.InvalidToken, exceptions.ExpiredToken, exceptions.Forbidden],
}


def error_responses(errors) -> dict:
    """Swagger responses for exception classes, one per HTTP status, listing the codes."""
    by_status: dict[int, list] = {}
    for error in errors:
        listed = by_status.setdefault(error.code, [])
        if error not in listed:
            listed.append(error)
    responses = {}
    for status in sorted(by_status):
        listed = sorted(by_status[status], key=lambda e: e.error_code)
        responses[str(status)] = {
            "description": "\n".join(f"- `{e.error_code}` {e.__name__}: {e.msg}" for e in listed),
            "schema": {"$ref": "#/definitions/Error"},
            "x-error-codes": [e.error_code for e in listed],
        }
    return responses


# -- the decorator


@dataclass
class Answer:
    """What a shaped view returns to answer with a message other than the default."""

    data: object
    msg: str


def answer(data, msg: str) -> Answer:
    return Answer(data, msg)


_RESPOND = {200: ok, 201: created, 202: deleted}


def _shaped(view, serialize, status: int):
    respond = _RESPOND[status]

    @wraps(view)
    def shaped_view(*args, **kwargs):
        result = view(*args, **kwargs)
        if isinstance(result, Answer):
            return respond(serialize(result.data), msg=result.msg)
        if isinstance(result, (Response, tuple, str)):
            return result  # already an answer (a cached body, an idempotent replay...)
        return respond(serialize(result))

    return shaped_view


def doc(
    summary: str,
    *,
    query=None,
    body=None,
    data=None,
    status: int = 200,
    errors=(),
    path: dict | None = None,
    consumes=None,
    raw_body=None,
    responses: dict | None = None,
    auth: bool = True,
):
    """Document a view and, when `data` is a shape, answer with it (see the module docstring).

    data: a shape class (its definition is named), `ArrayOf(shape)`, `MapOf(shape)`,
    `FlagMap()`, or a JSON-schema dict (the not yet converted /v2 views, which serialize by
    hand). raw_body: a shape or dict documenting a body that no form parses.
    """
    definitions = {}
    serialize = None
    if _is_shape(data):
        definitions.update(shape_definitions(data))
        data_schema, serialize = definition_ref(data), data.serialize
    elif hasattr(data, "shape"):  # ArrayOf, MapOf
        definitions.update(shape_definitions(data.shape))
        data_schema, serialize = data.json_schema(definition_ref(data.shape)), data.serialize
    elif hasattr(data, "serialize"):  # FlagMap: plain values, no named shape
        data_schema, serialize = data.json_schema(), data.serialize
    else:
        data_schema = data if data is not None else ANY

    params = []
    for name, schema in (path or {}).items():
        params.append({"name": name, "in": "path", "required": True, **schema})
    if query is not None:
        params += _form_parameters(query, "query")
    if body is not None:
        definitions[body.__name__] = form_schema(body)
        params.append(
            {"name": "body", "in": "body", "required": False, "schema": {"$ref": _ref(body)}}
        )
    if raw_body is not None:
        if _is_shape(raw_body):
            definitions.update(shape_definitions(raw_body))
            raw_body = definition_ref(raw_body)
        params.append({"name": "body", "in": "body", "required": False, "schema": raw_body})
    if responses:
        responses = deepcopy(responses)
        for response in responses.values():
            if _is_shape(response.get("schema")):
                definitions.update(shape_definitions(response["schema"]))
                response["schema"] = definition_ref(response["schema"])
    declared = list(errors)
    if params and not responses:
        declared.append(exceptions.ParameterException)
    spec = {
        "summary": summary,
        "parameters": params,
        "responses": responses
        or {
            str(status): {"description": "Success", "schema": envelope(data_schema, status)},
            "default": {"description": "Error", "schema": {"$ref": "#/definitions/Error"}},
        },
    }
    if consumes:
        spec["consumes"] = list(consumes)
    if auth:
        spec["security"] = [{"bearer": []}, {"basic": []}]

    def decorator(view):
        if serialize is not None:
            view = _shaped(view, serialize, status)
        view.specs_dict = spec
        view.doc_definitions = definitions
        view.doc_errors = [] if responses else declared
        return view

    return decorator


def _ref(form) -> str:
    return f"#/definitions/{form.__name__}"


# -- the spec


def _tag_description(view) -> str:
    module = sys.modules.get(view.__module__)
    text = inspect.cleandoc(module.__doc__) if module is not None and module.__doc__ else ""
    return text


def _operation_id(endpoint: str, method: str, rule_methods: int, used: set) -> str:
    candidate = endpoint if rule_methods == 1 else f"{endpoint}_{method}"
    n = 1
    unique = candidate
    while unique in used:
        n += 1
        unique = f"{candidate}_{n}"
    used.add(unique)
    return unique


def build_spec(app, template: dict) -> dict:
    """The OpenAPI 2 document of every @doc view (the /cms mirror of /v2 left out)."""
    spec = deepcopy(template)
    definitions = spec.setdefault("definitions", {})
    paths, tags, used = {}, {}, set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == "cms":
            continue
        view = app.view_functions.get(rule.endpoint)
        base = getattr(view, "specs_dict", None)
        if base is None:
            continue
        tag = rule.endpoint.rpartition(".")[0] or "app"
        tags.setdefault(tag, _tag_description(view))
        definitions.update(getattr(view, "doc_definitions", {}))
        access = getattr(view, "access", None)
        errors = list(getattr(view, "doc_errors", []))
        errors += _ACCESS_ERRORS.get(getattr(access, "kind", ""), [])
        path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            operation = deepcopy(base)
            operation["tags"] = [tag]
            operation["operationId"] = _operation_id(rule.endpoint, method, len(methods), used)
            description = inspect.getdoc(view)
            if description:
                operation["description"] = description
            operation["responses"] = {**error_responses(errors), **operation["responses"]}
            paths.setdefault(path, {})[method.lower()] = operation
    spec["tags"] = [{"name": name, "description": text} for name, text in tags.items()]
    spec["paths"] = paths
    # Form limits that live in the config (forms.Setting) become their configured values here.
    return deepcopy(spec)


class ApiDocs(Swagger):
    """flasgger, serving the spec of `build_spec` (built once per app)."""

    def get_apispecs(self, endpoint="apispec_1"):
        app = current_app._get_current_object()
        cached = app.extensions.get("apispec")
        if cached is None or app.debug:
            cached = app.extensions["apispec"] = build_spec(app, self.template or {})
        return cached


# -- multipart upload routes

UPLOAD_ERRORS = [
    exceptions.FileException,
    exceptions.FileTooLarge,
    exceptions.FileTooMany,
    exceptions.FileTypeNotAllowed,
    exceptions.FileContentMismatch,
]


def upload_doc(summary: str, *, data, status: int = 201, path=None, multiple=False, errors=()):
    """`@doc` for a multipart route whose file parts are named `file`."""
    decorate = doc(
        summary,
        data=data,
        status=status,
        path=path,
        consumes=["multipart/form-data"],
        errors=[*UPLOAD_ERRORS, *errors],
    )

    def decorator(view):
        view = decorate(view)
        view.specs_dict["parameters"].append(
            {
                "name": "file",
                "in": "formData",
                "type": "file",
                "required": True,
                "description": "one or more parts named file" if multiple else "one image",
            }
        )
        return view

    return decorator


def path_ids(*names: str) -> dict:
    return {name: {"type": "integer", "minimum": 0} for name in names}


def path_id_list(name: str = "ids") -> dict:
    return {name: {"type": "string", "pattern": r"^[0-9]+(,[0-9]+)*$"}}
