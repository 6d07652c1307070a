"""Seeds: the demo data loads completely, twice without change; the run command prepares SQLite."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Banner,
    Category,
    Config,
    Coupon,
    Dict,
    DictType,
    File,
    Group,
    Image,
    Notice,
    Order,
    OrderStatus,
    Payment,
    Permission,
    Product,
    Refund,
    Review,
    Route,
    Theme,
    User,
    UserCoupon,
)
from app.seed import SeedRefused, load_demo
from app.seed.demo import seed_demo
from app.seed.orders import seed_orders
from tests.factories import auth_headers
from tests.helpers import migration_head

ROOT = Path(__file__).resolve().parents[1]
COUNTED = (
    User,
    Group,
    Permission,
    Route,
    Config,
    DictType,
    Dict,
    File,
    Image,
    Category,
    Product,
    Theme,
    Banner,
    Article,
    Notice,
    Order,
    Review,
    Coupon,
    UserCoupon,
)


def _counts() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in COUNTED
    }


def test_demo_seed_loads_everything_and_is_idempotent(app):
    seed_demo()
    first = _counts()
    assert first == {
        "User": 3,
        "Group": 5,
        "Permission": 87,
        "Route": 34,
        "Config": 9,
        "DictType": 10,
        "Dict": 28,
        "File": 3,
        "Image": 61,
        "Category": 6,
        "Product": 32,
        "Theme": 3,
        "Banner": 1,
        "Article": 3,
        "Notice": 2,
        "Order": 5,
        "Review": 3,
        "Coupon": 4,
        "UserCoupon": 1,
    }
    seed_demo()
    assert _counts() == first


def test_demo_seed_is_refused_in_production(make_app):
    import pytest

    production = make_app(
        env_mode="production", SECRET_KEY="p" * 40, PUBLIC_BASE_URL="https://shop.example.com"
    )
    with production.app_context(), pytest.raises(SeedRefused):
        load_demo(production)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_prepare_db_command_fills_an_empty_sqlite_database_with_demo_data(tmp_path):
    database = tmp_path / "fresh.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "ENV_MODE": "development"}
    env.pop("TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server", "prepare-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database ready\n"
    assert "demo accounts exist: 999@qq.com" in result.stderr
    with sqlite3.connect(database) as connection:
        emails = {row[0] for row in connection.execute("SELECT email FROM user")}
        products = connection.execute("SELECT count(*) FROM product").fetchone()[0]
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert emails == {"999@qq.com", "777@qq.com", "666@qq.com"}
    assert products == 32
    assert version == migration_head()


S = OrderStatus


def test_demo_orders_cover_every_admin_flow(demo):
    rows = db.session.scalars(select(Order).order_by(Order.id)).all()
    assert [(o.user_id, o.order_status) for o in rows] == [
        (2, S.DELIVERED),
        (2, S.RECEIVED),
        (2, S.PAID),
        (2, S.REFUNDING),
        (2, S.RECEIVED),
    ]
    delivered, received, paid, refunding, reviewed = rows
    assert (str(delivered.total_price), delivered.total_count) == ("72.70", 3)
    assert delivered.snap_name.endswith(" 等") and delivered.tracking_no == "SF0000000001"
    assert (str(received.total_price), received.tracking_no) == ("45.00", "SF0000000002")
    assert str(paid.total_price) == "45.30" and paid.tracking_no is None
    assert [e.to_status for e in received.events] == [1, 2, 3, 6]
    assert [e.to_status for e in refunding.events] == [1, 2, 8]
    assert [(e.actor_type, e.actor_id) for e in delivered.events] == [
        ("customer", 2),
        ("wechat", None),
        ("admin", 1),
    ]
    payments = db.session.scalars(select(Payment).order_by(Payment.id)).all()
    assert [(p.transaction_id, p.amount, p.order_id) for p in payments] == [
        ("DEMO-TX-0001", 7270, delivered.id),
        ("DEMO-TX-0002", 4500, received.id),
        ("DEMO-TX-0003", 4530, paid.id),
        ("DEMO-TX-0004", 3800, refunding.id),
        ("DEMO-TX-0005", 3850, reviewed.id),
    ]
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.order_id, refund.status, refund.amount) == (refunding.id, "PROCESSING", 3800)


def test_demo_orders_are_placed_through_the_order_service(demo):
    # Placement reserves stock: the seeded figures less what the demo orders hold.
    stock = {p.id: p.stock for p in db.session.scalars(select(Product))}
    assert (stock[2], stock[11], stock[21], stock[5], stock[14], stock[20]) == (
        983,
        992,
        997,
        993,
        998,
        998,
    )
    seed_orders()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 5
    assert db.session.get(Product, 11).stock == 992


def test_demo_paid_order_can_be_delivered_by_the_demo_admin(client, demo):
    paid = db.session.scalars(select(Order).where(Order.order_status == S.PAID)).one()
    admin = db.session.get(User, 1)
    response = client.put(
        f"/v2/order/{paid.id}/delivery",
        json={"carrier": "顺丰速运", "tracking_no": "SF0000000003"},
        headers=auth_headers(admin),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["order_status"] == S.DELIVERED


def test_demo_reviews_are_written_by_the_review_service(client, demo):
    reviews = db.session.scalars(select(Review).order_by(Review.id)).all()
    assert [(r.user_id, r.product_id, r.rating, r.anonymous) for r in reviews] == [
        (2, 21, 5, False),
        (2, 10, 5, False),
        (2, 12, 3, True),
    ]
    assert [r.reply is not None for r in reviews] == [False, True, False]
    page = client.get("/v1/product/12/reviews").get_json()["data"]
    assert page["items"][0]["nickname"] == "小***"
    assert page["summary"]["count"] == 1
    detail = client.get("/v1/product/10").get_json()["data"]
    assert (detail["review_count"], detail["good_rate"], detail["sales"]) == (1, 100, 1)
    pending = client.get("/v1/review/pending", headers=auth_headers(db.session.get(User, 2)))
    assert [line["product_id"] for line in pending.get_json()["data"]["items"]] == [13]
    from app.seed.reviews import seed_reviews

    seed_reviews()
    assert db.session.scalar(select(func.count()).select_from(Review)) == 3
