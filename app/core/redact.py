"""Request parameters for the logs: secrets replaced by "***" at any depth, and the whole
excerpt bounded (LOG_PARAM_MAX_BYTES), so that no request can make a log row large.
"""

import json

from flask import current_app, request

_SECRET_WORDS = ("password", "secret", "token", "credential", "authorization")
DEFAULT_MAX_BYTES = 4096
# Shape bounds applied while redacting, so a huge body is never copied whole before it is cut.
_MAX_DEPTH = 8
_MAX_ITEMS = 50
_MAX_TEXT = 512
_MORE = "…"


def is_secret_key(key: str) -> bool:
    lowered = str(key).lower()
    return any(word in lowered for word in _SECRET_WORDS) or lowered.endswith("_key")


def _text(value: str) -> str:
    return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + _MORE


def redact(value, depth: int = 0):
    if isinstance(value, (dict, list)) and depth >= _MAX_DEPTH:
        return _MORE
    if isinstance(value, dict):
        items = list(value.items())
        kept = {
            _text(str(k)): ("***" if is_secret_key(k) else redact(v, depth + 1))
            for k, v in items[:_MAX_ITEMS]
        }
        if len(items) > _MAX_ITEMS:
            kept[_MORE] = f"{len(items) - _MAX_ITEMS} more"
        return kept
    if isinstance(value, list):
        kept = [redact(item, depth + 1) for item in value[:_MAX_ITEMS]]
        if len(value) > _MAX_ITEMS:
            kept.append(f"{_MORE} {len(value) - _MAX_ITEMS} more")
        return kept
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return _text(str(value))


def _size(value) -> int:
    # Measured as the JSON column stores it (ASCII escapes: a CJK character costs 6 bytes).
    return len(json.dumps(value, default=str))


def bounded(value, limit: int):
    """The value itself if its JSON fits in `limit` bytes, else an excerpt of that JSON that
    does (once stored, quotes and non-ASCII characters in the excerpt grow when escaped)."""
    if _size(value) <= limit:
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    low, high = 0, min(len(text), limit)  # characters of the excerpt: search the most that fit
    while low < high:
        middle = (low + high + 1) // 2
        if _size({"excerpt": text[:middle], "truncated": True}) <= limit:
            low = middle
        else:
            high = middle - 1
    return {"excerpt": text[:low], "truncated": True}


def _body():
    if request.files:
        return {
            name: [
                {"filename": f.filename, "size": f.content_length or None}
                for f in request.files.getlist(name)
            ]
            for name in request.files
        }
    if request.mimetype != "application/json":
        return {}
    length = request.content_length or 0
    if length > current_app.config["JSON_MAX_LENGTH"]:
        return {"omitted": f"{length} bytes"}  # the views refuse it unread; so does the log
    try:
        body = request.get_json(silent=True, cache=True)
    except Exception:
        body = None
    return {} if body is None else body


def redacted_params() -> dict:
    """{path, query, body} of the current request, redacted and bounded; uploads only by name
    and size."""
    limit = current_app.config["LOG_PARAM_MAX_BYTES"]
    params = {
        "path": redact(dict(request.view_args or {})),
        "query": redact(request.args.to_dict()),
        "body": redact(_body()),
    }
    if _size(params) <= limit:
        return params
    params["path"] = bounded(params["path"], limit // 8)
    params["query"] = bounded(params["query"], limit // 4)
    rest = limit - _size({"path": params["path"], "query": params["query"], "body": None})
    params["body"] = bounded(params["body"], rest)
    return params
