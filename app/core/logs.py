"""LOG_FORMAT=json: one JSON object per log line, carrying the request id of the request that
wrote it (the X-Request-ID answered to the client; app/core/http.py)."""

import json
import logging
from datetime import UTC, datetime

from flask import g, has_request_context, request


class JSONLineFormatter(logging.Formatter):
    """{time, level, logger, message, request_id, method, path[, exc_info]} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": "",
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id", "")
            entry["method"] = request.method
            entry["path"] = request.path
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json_lines(logger: logging.Logger) -> None:
    """Write the logger's lines as JSON: its handlers get the formatter (a stderr handler is
    added when it has none)."""
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())
    for handler in logger.handlers:
        handler.setFormatter(JSONLineFormatter())
