"""The Alembic revisions build exactly the schema the models describe."""

import json
import os
import uuid
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db


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


def test_migrations_match_the_models(make_app, scratch_url):
    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with migrated_app.app_context():
        upgrade(directory=migrations)
        engine = db.engine
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
    assert diff == []
    assert set(db.metadata.tables) <= tables


def test_search_migration_adds_the_hot_keywords_parameter_to_an_installed_shop(
    make_app, scratch_url
):
    from flask_migrate import downgrade

    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    hot = text("SELECT id, value, value_type, type, public FROM config WHERE `key` = :key")
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                    " create_time, update_time) VALUES (7, 'mine', 'my.key', '1', 'int', 0, 0, '',"
                    " 0, 0)"
                )
            )
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            row = connection.execute(hot, {"key": "shop.search.hot"}).one()
        assert tuple(row) == (8, "[]", "json", 1, 1)
        downgrade(directory=migrations, revision="0001")
        with db.engine.connect() as connection:
            assert connection.execute(hot, {"key": "shop.search.hot"}).first() is None
            assert "search_history" not in inspect(connection).get_table_names()
        db.engine.dispose()


def test_search_migration_leaves_a_new_install_to_the_system_seed(make_app, scratch_url):
    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with migrated_app.app_context():
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM config")).scalar() == 0
        db.engine.dispose()


def test_upgrade_to_0002_gives_every_product_a_default_sku_and_keeps_orders(make_app, scratch_url):
    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0001")
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
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            skus = connection.execute(
                text(
                    "SELECT id, product_id, specs, spec_text, price, stock, sales, on_sale,"
                    " delete_time FROM product_sku ORDER BY id"
                )
            ).all()
            lines = connection.execute(
                text("SELECT product_id, sku_id, spec, count FROM order_product ORDER BY id")
            ).all()
            sales = connection.execute(text("SELECT sales FROM product ORDER BY id")).all()
            amounts = connection.execute(
                text("SELECT goods_amount, freight_amount, coupon_discount FROM `order`")
            ).all()
            shares = connection.execute(
                text("SELECT pay_amount FROM order_product ORDER BY id")
            ).all()
        db.engine.dispose()
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


def test_review_migration_adds_its_parameters_to_an_installed_shop(make_app, scratch_url):
    from flask_migrate import downgrade

    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    query = text(
        "SELECT `key`, value, value_type, type, public FROM config"
        " WHERE `key` IN ('shop.review.days', 'shop.content.blocked_words') ORDER BY id"
    )
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                    " create_time, update_time) VALUES (3, 'size', 'sys.paginator.size', '10',"
                    " 'int', 1, 1, '', 0, 0), (4, 'mine', 'shop.review.days', '7', 'int', 1, 1,"
                    " '', 0, 0)"
                )
            )
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(query)]
            ids = connection.execute(text("SELECT id FROM config ORDER BY id")).scalars().all()
            tables = set(inspect(connection).get_table_names())
        # the shop's own row is kept; the missing one is added after the last id
        assert rows == [
            ("shop.review.days", "7", "int", 1, 1),
            ("shop.content.blocked_words", "[]", "json", 1, 1),
        ]
        assert ids[:3] == [3, 4, 5]  # later revisions append their own parameters
        assert {"review", "review_image", "favorite", "footprint"} <= tables
        downgrade(directory=migrations, revision="0004")
        with db.engine.connect() as connection:
            assert connection.execute(query).all() == []
            tables = set(inspect(connection).get_table_names())
        assert not {"review", "review_image", "favorite", "footprint"} & tables
        db.engine.dispose()


def test_coupon_migration_adds_the_freight_parameters_and_coupon_tables(make_app, scratch_url):
    from flask_migrate import downgrade

    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    query = text(
        "SELECT id, `key`, value, value_type, type, public FROM config"
        " WHERE `key` LIKE 'shop.freight.%' ORDER BY id"
    )
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0009")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                    " create_time, update_time) VALUES (9, 'mine', 'shop.freight.price', '6.00',"
                    " 'str', 1, 1, '', 0, 0)"
                )
            )
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(query)]
            tables = set(inspect(connection).get_table_names())
            columns = {column["name"] for column in inspect(connection).get_columns("order")}
        # the shop's own price is kept; the threshold is added after the last id
        assert rows == [
            (9, "shop.freight.price", "6.00", "str", 1, 1),
            (10, "shop.freight.free_min", "99.00", "str", 1, 1),
        ]
        assert {"coupon", "user_coupon", "coupon_code"} <= tables
        assert "user_coupon_id" in columns
        downgrade(directory=migrations, revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(query).all() == []
            tables = set(inspect(connection).get_table_names())
            columns = {column["name"] for column in inspect(connection).get_columns("order")}
        assert not {"coupon", "user_coupon", "coupon_code"} & tables
        assert "user_coupon_id" not in columns
        db.engine.dispose()


def test_aftersale_migration_adds_its_parameter_and_tables(make_app, scratch_url):
    from flask_migrate import downgrade

    migrated_app = make_app(DATABASE_URL=scratch_url)
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    query = text("SELECT `key`, value, value_type FROM config WHERE `key` = 'shop.aftersale.days'")
    with migrated_app.app_context():
        upgrade(directory=migrations, revision="0009")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO config (id, name, `key`, value, value_type, type, public, remark,"
                    " create_time, update_time) VALUES (3, 'size', 'sys.paginator.size', '10',"
                    " 'int', 1, 1, '', 0, 0)"
                )
            )
        upgrade(directory=migrations, revision="0011")
        with db.engine.connect() as connection:
            assert connection.execute(query).all() == [("shop.aftersale.days", "7", "int")]
            tables = set(inspect(connection).get_table_names())
        assert {"after_sale", "after_sale_line", "after_sale_event"} <= tables
        downgrade(directory=migrations, revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(query).all() == []
            tables = set(inspect(connection).get_table_names())
        assert not {"after_sale", "after_sale_line", "after_sale_event"} & tables
        db.engine.dispose()
