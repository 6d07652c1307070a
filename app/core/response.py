"""Success envelopes: error_code 0 (read or action), 1 (created or updated), 2 (deleted)."""

from flask import jsonify


def envelope(error_code: int, data, msg: str) -> dict:
    """The body of a success answer."""
    return {"error_code": error_code, "msg": msg, "data": {} if data is None else data}


def _envelope(error_code: int, status: int, data, msg: str):
    response = jsonify(envelope(error_code, data, msg))
    response.status_code = status
    return response


def ok(data=None, msg: str = "OK"):
    return _envelope(0, 200, data, msg)


CREATED_MSG = "Created or updated"


def created(data=None, msg: str = CREATED_MSG):
    return _envelope(1, 201, data, msg)


def deleted(data=None, msg: str = "Deleted"):
    return _envelope(2, 202, data, msg)
