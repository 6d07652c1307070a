"""Request parameters for the logs, with secrets replaced by "***" at any depth."""

from flask import request

_SECRET_WORDS = ("password", "secret", "token", "credential", "authorization")


def is_secret_key(key: str) -> bool:
    lowered = str(key).lower()
    return any(word in lowered for word in _SECRET_WORDS) or lowered.endswith("_key")


def redact(value):
    if isinstance(value, dict):
        return {k: ("***" if is_secret_key(k) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def redacted_params() -> dict:
    """{path, query, body} of the current request, redacted; uploads only by name and size."""
    body = {}
    if request.files:
        body = {
            name: [
                {"filename": f.filename, "size": f.content_length or None}
                for f in request.files.getlist(name)
            ]
            for name in request.files
        }
    elif request.mimetype == "application/json":
        try:
            body = request.get_json(silent=True, cache=True)
        except Exception:
            body = None
        if body is None:
            body = {}
    return redact(
        {
            "path": dict(request.view_args or {}),
            "query": request.args.to_dict(),
            "body": body,
        }
    )
