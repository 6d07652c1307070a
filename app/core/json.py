"""JSON that keeps money exact: numbers with a fraction parse as Decimal, Decimals dump as text."""

import json
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


class ExactJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o):
        if isinstance(o, Decimal):
            return f"{o:.2f}"
        return DefaultJSONProvider.default(o)

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        return json.loads(s, **kwargs)
