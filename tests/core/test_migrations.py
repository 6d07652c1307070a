"""The Alembic revisions build exactly the schema the models describe."""

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
CONFIG_FIELDS = ("id", "name", "key", "value", "value_type", "type", "public")


@pytest.fixture
def scratch_url(app, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


class ScratchDatabase:
    """The scratch database, moved between revisions (its app context is the active one)."""

    def upgrade(self, revision: str = "head") -> None:
        upgrade(directory=MIGRATIONS, revision=revision)

    def downgrade(self, revision: str) -> None:
        downgrade(directory=MIGRATIONS, revision=revision)

    def execute(self, sql: str, params: dict | None = None) -> None:
        with db.engine.begin() as connection:
            connection.execute(text(sql), params or {})

    def rows(self, sql: str) -> list:
        with db.engine.connect() as connection:
            return connection.execute(text(sql)).all()

    def add_config(self, *rows: tuple) -> None:
        """Insert (id, name, key, value, value_type, type, public) rows, as a shop has them."""
        for row in rows:
            self.execute(
                "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                " create_time, update_time)"
                " VALUES (:id, :name, :key, :value, :value_type, :type, :public, '', 0, 0)",
                dict(zip(CONFIG_FIELDS, row, strict=True)),
            )

    def tables(self) -> set[str]:
        with db.engine.connect() as connection:
            return set(inspect(connection).get_table_names())

    def columns(self, table: str) -> set[str]:
        with db.engine.connect() as connection:
            return {column["name"] for column in inspect(connection).get_columns(table)}


@pytest.fixture
def migrated(make_app, scratch_url):
    """An app on the (empty) scratch database, inside its app context."""
    with make_app(DATABASE_URL=scratch_url).app_context():
        yield ScratchDatabase()
        db.engine.dispose()


def test_migrations_match_the_models(migrated):
    migrated.upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
    assert set(db.metadata.tables) <= migrated.tables()


def test_search_migration_adds_the_hot_keywords_parameter_to_an_installed_shop(migrated):
    hot = "SELECT id, value, value_type, type, public FROM config WHERE `key` = 'shop.search.hot'"
    migrated.upgrade("0001")
    migrated.add_config((7, "mine", "my.key", "1", "int", 0, 0))
    migrated.upgrade()
    assert migrated.rows(hot) == [(8, "[]", "json", 1, 1)]
    migrated.downgrade("0001")
    assert migrated.rows(hot) == []
    assert "search_history" not in migrated.tables()


def test_search_migration_leaves_a_new_install_to_the_system_seed(migrated):
    migrated.upgrade()
    assert migrated.rows("SELECT count(*) FROM config") == [(0,)]


def test_upgrade_to_0002_gives_every_product_a_default_sku_and_keeps_orders(migrated, scratch_url):
    migrated.upgrade("0001")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user (id, nickname, auth, active, token_version, avatar,"
                " update_time, create_time) VALUES (1, 'u', 1, 1, 0, '', 1, 1)"
            )
        )
        price = "1990" if connection.dialect.name == "sqlite" else "19.90"
        for product_id, stock, deleted in ((1, 7, "NULL"), (2, 0, "5")):
            connection.execute(
                text(
                    "INSERT INTO product (id, name, price, stock, summary, on_sale,"
                    f" update_time, create_time, delete_time) VALUES ({product_id}, 'p',"
                    f" {price}, {stock}, '', 1, 1, 1, {deleted})"
                )
            )
        connection.execute(
            text(
                "INSERT INTO `order` (id, order_no, user_id, order_status, snap_name,"
                " snap_img, snap_items, snap_address, total_count, total_price, remark,"
                " expire_time, stock_released, update_time, create_time) VALUES"
                f" (1, 'N1', 1, 1, 'p', '', '[]', '{{}}', 3, {price}, '', 9, 0, 1, 1)"
            )
        )
        for product_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO order_product (order_id, product_id, count, price)"
                    f" VALUES (1, {product_id}, {product_id}, {price})"
                )
            )
    migrated.upgrade()
    skus = migrated.rows(
        "SELECT id, product_id, specs, spec_text, price, stock, sales, on_sale, delete_time"
        " FROM product_sku ORDER BY id"
    )
    lines = migrated.rows("SELECT product_id, sku_id, spec, count FROM order_product ORDER BY id")
    sales = migrated.rows("SELECT sales FROM product ORDER BY id")
    amounts = migrated.rows("SELECT goods_amount, freight_amount, coupon_discount FROM `order`")
    shares = migrated.rows("SELECT pay_amount FROM order_product ORDER BY id")
    stored_price = 1990 if scratch_url.startswith("sqlite") else Decimal("19.90")
    assert [
        (s.product_id, s.spec_text, s.price, s.stock, s.sales, bool(s.on_sale)) for s in skus
    ] == [
        (1, "", stored_price, 7, 0, True),
        (2, "", stored_price, 0, 0, True),
    ]
    assert [json.loads(s.specs) if isinstance(s.specs, str) else s.specs for s in skus] == [{}, {}]
    assert [s.delete_time for s in skus] == [None, 5]
    assert [tuple(line) for line in lines] == [(1, skus[0].id, "", 1), (2, skus[1].id, "", 2)]
    assert [row.sales for row in sales] == [0, 0]
    # 0009: the amount model of orders older than it: no freight, no discount, line shares
    # are the line totals.
    zero = 0 if scratch_url.startswith("sqlite") else Decimal("0.00")
    assert [tuple(row) for row in amounts] == [(stored_price, zero, zero)]
    assert [row.pay_amount for row in shares] == [stored_price, stored_price * 2]


def test_review_migration_adds_its_parameters_to_an_installed_shop(migrated):
    query = (
        "SELECT `key`, value, value_type, type, public FROM config"
        " WHERE `key` IN ('shop.review.days', 'shop.content.blocked_words') ORDER BY id"
    )
    tables = {"review", "review_image", "favorite", "footprint"}
    migrated.upgrade("0004")
    migrated.add_config(
        (3, "size", "sys.paginator.size", "10", "int", 1, 1),
        (4, "mine", "shop.review.days", "7", "int", 1, 1),
    )
    migrated.upgrade()
    # the shop's own row is kept; the missing one is added after the last id
    assert migrated.rows(query) == [
        ("shop.review.days", "7", "int", 1, 1),
        ("shop.content.blocked_words", "[]", "json", 1, 1),
    ]
    ids = [row.id for row in migrated.rows("SELECT id FROM config ORDER BY id")]
    assert ids[:3] == [3, 4, 5]  # later revisions append their own parameters
    assert tables <= migrated.tables()
    migrated.downgrade("0004")
    assert migrated.rows(query) == []
    assert not tables & migrated.tables()


def test_coupon_migration_adds_the_freight_parameters_and_coupon_tables(migrated):
    query = (
        "SELECT id, `key`, value, value_type, type, public FROM config"
        " WHERE `key` LIKE 'shop.freight.%' ORDER BY id"
    )
    tables = {"coupon", "user_coupon", "coupon_code"}
    migrated.upgrade("0009")
    migrated.add_config((9, "mine", "shop.freight.price", "6.00", "str", 1, 1))
    migrated.upgrade()
    # the shop's own price is kept; the threshold is added after the last id
    assert migrated.rows(query) == [
        (9, "shop.freight.price", "6.00", "str", 1, 1),
        (10, "shop.freight.free_min", "99.00", "str", 1, 1),
    ]
    assert tables <= migrated.tables()
    assert "user_coupon_id" in migrated.columns("order")
    migrated.downgrade("0009")
    assert migrated.rows(query) == []
    assert not tables & migrated.tables()
    assert "user_coupon_id" not in migrated.columns("order")


def test_aftersale_migration_adds_its_parameter_and_tables(migrated):
    query = "SELECT `key`, value, value_type FROM config WHERE `key` = 'shop.aftersale.days'"
    tables = {"after_sale", "after_sale_line", "after_sale_event"}
    migrated.upgrade("0009")
    migrated.add_config((3, "size", "sys.paginator.size", "10", "int", 1, 1))
    migrated.upgrade("0011")
    assert migrated.rows(query) == [("shop.aftersale.days", "7", "int")]
    assert tables <= migrated.tables()
    migrated.downgrade("0009")
    assert migrated.rows(query) == []
    assert not tables & migrated.tables()
