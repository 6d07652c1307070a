"""Success envelopes: error_code 0 (read or action), 1 (created or updated), 2 (deleted)."""

from flask import jsonify


def _envelope(error_code: int, status: int, data, msg: str):
    response = jsonify({"error_code": error_code, "msg": msg, "data": {} if data is None else data})
    response.status_code = status
    return response


def ok(data=None, msg: str = "OK"):
    return _envelope(0, 200, data, msg)


def created(data=None, msg: str = "Created or updated"):
    return _envelope(1, 201, data, msg)


def deleted(data=None, msg: str = "Deleted"):
    return _envelope(2, 202, data, msg)
