"""OpenAPI docs built from the same forms that validate requests.

`@doc("Get a product", query=PageForm, body=ProductCreateForm, data=PRODUCT)` documents a view:
parameters come from the form fields, and the answer is the success envelope around `data`.
"""

from flasgger import swag_from

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

SWAGGER_TEMPLATE = {
    "swagger": "2.0",
    "info": {
        "title": "mini-shop-server API",
        "description": "Customer API (/v1) and admin API (/v2, also mounted at /cms). "
        "Authorize with the token as Bearer, or as the Basic user name.",
        "version": "1.0.0",
    },
    "securityDefinitions": {
        "basic": {"type": "basic", "description": "token as user name, any password"},
        "bearer": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": "Bearer <token>",
        },
    },
    "definitions": {"Error": ERROR_ENVELOPE},
}

SWAGGER_CONFIG = {
    "headers": [],
    "specs": [
        {
            "endpoint": "apispec_1",
            "route": "/apispec_1.json",
            "rule_filter": lambda rule: True,
            "model_filter": lambda tag: True,
        }
    ],
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


def _form_parameters(form, where: str) -> list[dict]:
    params = []
    for name, field_schema in form.json_schema()["properties"].items():
        param = {
            "name": name,
            "in": where,
            "required": name in form.json_schema().get("required", []),
        }
        kind = field_schema.get("type", "string")
        if kind == "array":
            # Query lists are comma-separated ids, with the form's bounds on count and items.
            param.update(
                {k: v for k, v in field_schema.items() if k in ("items", "minItems", "maxItems")},
                type="array",
                collectionFormat="csv",
                description=field_schema.get("description") or "comma-separated ids",
            )
        elif kind == "object":
            param.update(type="string", description="JSON value")
        else:
            param.update({k: v for k, v in field_schema.items() if k != "x-nullable"})
            if kind == "number":
                param["type"] = "number"
        params.append(param)
    return params


def doc(
    summary: str,
    *,
    query=None,
    body=None,
    data: dict | None = None,
    status: int = 200,
    tags=None,
    path: dict | None = None,
    consumes=None,
    raw_body: dict | None = None,
    responses: dict | None = None,
    auth: bool = True,
):
    """Attach an OpenAPI operation to a view."""

    def decorator(view):
        params = []
        for name, schema in (path or {}).items():
            params.append({"name": name, "in": "path", "required": True, **schema})
        if query is not None:
            params += _form_parameters(query, "query")
        if body is not None:
            params.append(
                {"name": "body", "in": "body", "required": False, "schema": body.json_schema()}
            )
        if raw_body is not None:
            params.append({"name": "body", "in": "body", "required": False, "schema": raw_body})
        spec = {
            "summary": summary,
            "parameters": params,
            "responses": responses
            or {
                str(status): {
                    "description": "Success",
                    "schema": envelope(data if data is not None else ANY, status),
                },
                "default": {"description": "Error", "schema": {"$ref": "#/definitions/Error"}},
            },
        }
        if tags:
            spec["tags"] = list(tags)
        if consumes:
            spec["consumes"] = list(consumes)
        if auth:
            spec["security"] = [{"bearer": []}, {"basic": []}]
        return swag_from(spec)(view)

    return decorator


def path_ids(*names: str) -> dict:
    return {name: {"type": "integer", "minimum": 0} for name in names}


def path_id_list(name: str = "ids") -> dict:
    return {name: {"type": "string", "pattern": r"^[0-9]+(,[0-9]+)*$"}}
