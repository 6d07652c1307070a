"""No GET changes state: every GET route, called by a super admin and by a customer on the demo
data, leaves every table as it was. The exceptions: the article view counter, a logged-in
search with a `q` (GET /v1/product/search records the caller's history; called here without one,
tests/api/v1/test_search.py covers it), and the footprint a logged-in product detail read
records (only that read, and only in the footprint table; tests/api/v1/test_footprint.py), and
the operation log row a staff export writes (GET /v2/order/export: who took the data out is
logged; tests/api/v2/test_order_export.py)."""

from app.extensions import db
from tests import factories
from tests.security.helpers import routes

# GET /v1/article/{id} counts a view with an atomic increment: the one GET that writes.
COUNTERS = {"/v1/article/<int:id>"}
# GET /v1/product/{id} with a token records the caller's footprint (never business state).
RECORDS = {"/v1/product/<int:id>": "footprint"}


def _dump() -> dict:
    with db.engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(table.select()).all()))
            for table in db.metadata.sorted_tables
        }


def test_get_routes_change_nothing(app, client, demo):
    from app.models import User

    boss = db.session.get(User, 1)
    customer = db.session.get(User, 2)
    callers = [factories.auth_headers(boss), factories.auth_headers(customer), {}]
    before = _dump()
    called = 0
    for route in routes(app, "/v1/", "/v2/", "/cms/"):
        if route.method != "GET" or route.rule in COUNTERS:
            continue
        for headers in callers:
            response = client.get(
                route.path(1, key="sys.paginator.size", name="x", ids="1"), headers=headers
            )
            assert response.status_code < 500, f"{route}: {response.get_data(as_text=True)}"
            called += 1
    db.session.remove()
    after = _dump()
    changed = sorted(name for name in before if before[name] != after[name])
    assert called > 100
    assert changed == ["footprint", "oper_log"]
    from app.models import Footprint, OperLog

    logged = db.session.query(OperLog.endpoint).distinct().all()
    assert logged == [("v2.order_export.export_orders",)] or sorted(logged) == [
        ("cms.order_export.export_orders",),
        ("v2.order_export.export_orders",),
    ]

    recorded = db.session.query(Footprint.user_id, Footprint.product_id).all()
    assert sorted(recorded) == [(boss.id, 1), (customer.id, 1)]


def test_only_the_product_detail_records_footprints(app, client, demo):
    from app.models import Footprint, User

    headers = factories.auth_headers(db.session.get(User, 2))
    for route in routes(app, "/v1/", "/v2/", "/cms/"):
        if route.method != "GET" or route.rule in COUNTERS or route.rule in RECORDS:
            continue
        client.get(route.path(1, key="sys.paginator.size", name="x", ids="1"), headers=headers)
    db.session.remove()
    assert db.session.query(Footprint).count() == 0
    client.get("/v1/product/1", headers=headers)
    assert db.session.query(Footprint).count() == 1


# POST routes that only read: they answer what a write would do, and write nothing.
READ_ONLY_POSTS = {"/v1/order/preview"}


def test_read_only_posts_change_nothing(app, client, demo):
    from app.models import Product, User

    customer = db.session.get(User, 2)
    product = db.session.scalars(
        db.select(Product).where(Product.on_sale.is_(True)).order_by(Product.id)
    ).first()
    sku = factories.skus_of(product)[0]
    line_id = factories.make_cart_line(customer, sku, count=1).id
    bodies = [
        {"products": [{"product_id": product.id, "count": 1}], "remark": "x", "user_id": 1},
        {"cart_item_ids": [line_id], "address_id": None, "order_status": 2},
        {"products": [{"product_id": product.id, "count": 10**6}]},  # refused: still no write
    ]
    routes_found = [r for r in routes(app, "/v1/") if r.rule in READ_ONLY_POSTS]
    assert {r.rule for r in routes_found} == READ_ONLY_POSTS
    before = _dump()
    for route in routes_found:
        for body in bodies:
            response = client.post(route.rule, json=body, headers=factories.auth_headers(customer))
            assert response.status_code < 500, f"{route}: {response.get_data(as_text=True)}"
    db.session.remove()
    assert sorted(name for name, rows in _dump().items() if rows != before[name]) == []
