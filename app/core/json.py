"""JSON that keeps money exact: numbers with a fraction parse as Decimal, Decimals dump as text.

Parsing refuses documents nested deeper than JSON_MAX_DEPTH before the parser sees them: the
standard parser recurses per level and a few thousand brackets would otherwise end in a
RecursionError (a 500) instead of a 400.
"""

import json
import re
from decimal import Decimal
from itertools import accumulate

from flask.json.provider import DefaultJSONProvider

DEFAULT_MAX_DEPTH = 32

# A string token, or an unterminated one running to the end (so that a scan never restarts
# inside a string: the whole text is read once); then everything that is not a bracket.
_STRINGS = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\Z)', re.S)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JSONTooDeep(ValueError):
    """The document nests arrays and objects deeper than allowed."""

    def __init__(self, limit: int):
        super().__init__(f"JSON nesting is deeper than {limit} levels")
        self.limit = limit


def nesting_depth(text: str | bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings ignored)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def check_depth(text: str | bytes, limit: int) -> None:
    if limit and nesting_depth(text) > limit:
        raise JSONTooDeep(limit)


class ExactJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o):
        if isinstance(o, Decimal):
            return f"{o:.2f}"
        return DefaultJSONProvider.default(o)

    def loads(self, s, **kwargs):
        check_depth(s, self._app.config["JSON_MAX_DEPTH"])
        kwargs.setdefault("parse_float", Decimal)
        return json.loads(s, **kwargs)
