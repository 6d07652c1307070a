"""Shared helpers of the security, limit and failure-mode tests: extra apps and the route map."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import IntegerConverter

from app import create_app
from app.extensions import db

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@contextmanager
def extra_app(base: Flask, env_mode: str = "testing", **overrides) -> Iterator[Flask]:
    """Another app on the session app's database (and upload folder), disposed afterwards."""
    settings = {
        "DATABASE_URL": base.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": base.config["UPLOAD_FOLDER"],
    }
    settings.update(overrides)
    app = create_app(settings, env_mode=env_mode)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@dataclass(frozen=True)
class Route:
    rule: str
    method: str
    endpoint: str
    access: object  # app.core.auth.Access or None
    int_params: tuple[str, ...]
    other_params: tuple[str, ...]
    escalation: object = None  # app.core.permissions.Escalation or None

    @property
    def kind(self) -> str:
        return getattr(self.access, "kind", "none")

    def path(self, value: int = 1, **values) -> str:
        """The rule with every path parameter filled (ints by `value` unless named)."""
        path = self.rule
        for name in self.int_params + self.other_params:
            filled = values.get(name, value)
            for pattern in (f"<int:{name}>", f"<{name}>"):
                path = path.replace(pattern, str(filled))
            if f":{name}>" in path:  # any other converter
                start = path.index("<", 0, path.index(f":{name}>"))
                end = path.index(">", start) + 1
                path = path[:start] + str(filled) + path[end:]
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def routes(app: Flask, *prefixes: str) -> list[Route]:
    """Every (rule, method) of the app under the prefixes, with the access its view declares."""
    found = []
    for rule in app.url_map.iter_rules():
        if prefixes and not rule.rule.startswith(prefixes):
            continue
        view = app.view_functions[rule.endpoint]
        ints = tuple(
            name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)
        )
        others = tuple(name for name in rule.arguments if name not in ints)
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append(
                Route(
                    rule.rule,
                    method,
                    rule.endpoint,
                    getattr(view, "access", None),
                    ints,
                    others,
                    getattr(view, "escalation", None),
                )
            )
    return sorted(found, key=lambda r: (r.rule, r.method))


def call(client, route: Route, path: str | None = None, headers=None, body=None):
    """Send the route's method to the path (JSON body {} for POST/PUT)."""
    path = path or route.path()
    method = getattr(client, route.method.lower())
    if route.method in ("POST", "PUT", "PATCH"):
        return method(path, json=body if body is not None else {}, headers=headers or {})
    return method(path, headers=headers or {})


# ------------------------------------------------------------------ owned rows


def snapshot(model, row_id: int) -> dict | None:
    """The row as stored (deleted rows included), read on a fresh connection."""
    from sqlalchemy import select

    table = model.__table__
    with db.engine.connect() as connection:
        row = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def make_order(user, **fields):
    """An UNPAID order of the user (tests.factories.make_order when someone has added it)."""
    from tests import factories

    if hasattr(factories, "make_order"):
        return factories.make_order(user, (factories.make_product(stock=50), 1), **fields)
    import uuid
    from decimal import Decimal

    from app.models import Order
    from app.models.base import now

    values = {
        "order_no": "T" + uuid.uuid4().hex[:20].upper(),
        "user_id": user.id,
        "order_status": 1,
        "snap_name": "Owner-Marker product",
        "snap_items": [],
        "snap_address": {"name": "Owner-Marker"},
        "total_count": 1,
        "total_price": Decimal("9.90"),
        "goods_amount": Decimal("9.90"),
        "expire_time": now() + 1800,
    }
    values.update(fields)
    order = Order(**values)
    db.session.add(order)
    db.session.commit()
    return order


# ------------------------------------------------------------------ access rows


def permission_id(pair: tuple[str, str]) -> int:
    """The id of the catalogue permission (module, name)."""
    from sqlalchemy import select

    from app.models import Permission

    module, name = pair
    return db.session.scalar(
        select(Permission.id).where(Permission.module == module, Permission.name == name)
    )


def access_tables() -> dict:
    """Every row of user, group and auth as stored, read on a fresh connection."""
    from sqlalchemy import select

    from app.models import Auth, Group, User

    found = {}
    with db.engine.connect() as connection:
        for model in (User, Group, Auth):
            table = model.__table__
            rows = connection.execute(select(table)).mappings().all()
            found[table.name] = sorted((tuple(sorted(row.items())) for row in rows), key=str)
    return found
