"""A catalog of realistic size plus many customers, inserted with SQLAlchemy core bulk inserts.

Used by bench/run.py on top of the system and demo seed. New rows take ids above the highest
existing ones, so the demo catalog (whatever it holds) stays untouched and is part of the load.

    from bench.seed_bulk import seed_bulk
    info = seed_bulk(app, products=1000, categories=20, themes=10, users=1000)
    carts = seed_carts(app, info["customers"], info["order_product_ids"], lines=10)
    held = seed_coupons(app, info["customers"], copies=3)
"""

import random
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from app.core.auth import issue_access_token
from app.extensions import db
from app.models import (
    Address,
    Banner,
    BannerItem,
    CartItem,
    Category,
    Coupon,
    Image,
    Product,
    ProductImage,
    ProductProperty,
    Sku,
    Theme,
    User,
    UserCoupon,
)
from app.models.base import now
from app.models.catalog import theme_product

KINDS = ["vg", "rice", "tea", "fry", "dryfruit", "cake"]
PROPERTY_NAMES = ["品名", "产地", "净含量", "保质期"]
THEME_SIZE = 20
BATCH = 1000
# A few products with little stock: the order burst sells them out, so the oversell check
# sees real contention on the conditional stock update.
HOT_PRODUCTS = 3
HOT_STOCK = 6
PLENTY = 1_000_000
CLIENT_EMAIL = 101


def _next_id(model) -> int:
    table = model.__table__
    return (db.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def _images(count: int, make_url) -> list[int]:
    first = _next_id(Image)
    stamp = now()
    rows = [
        {
            "id": first + n,
            "url": make_url(n),
            "source": 1,
            "create_time": stamp,
            "update_time": stamp,
        }
        for n in range(count)
    ]
    _insert(Image.__table__, rows)
    return [row["id"] for row in rows]


def _categories(target: int, rng: random.Random) -> list[int]:
    existing = list(db.session.scalars(select(Category.id).order_by(Category.id)))
    missing = max(0, target - len(existing))
    if not missing:
        return existing
    images = _images(missing, lambda n: f"/category-{KINDS[n % len(KINDS)]}.png")
    first = _next_id(Category)
    stamp = now()
    rows = [
        {
            "id": first + n,
            "name": f"类别{first + n}",
            "description": "",
            "topic_img_id": images[n],
            "create_time": stamp,
            "update_time": stamp,
        }
        for n in range(missing)
    ]
    _insert(Category.__table__, rows)
    return existing + [row["id"] for row in rows]


def _products(count: int, categories: list[int], rng: random.Random) -> list[int]:
    if count <= 0:
        return []
    main = _images(count, lambda n: f"/product-{KINDS[n % len(KINDS)]}@{n % 7 + 1}.png")
    details = _images(12, lambda n: f"/detail-{n + 1}@1-dryfruit.png")
    first = _next_id(Product)
    stamp = now()
    products, pictures, properties, skus = [], [], [], []
    for n in range(count):
        pid = first + n
        created = stamp - (count - n) * 60
        products.append(
            {
                "id": pid,
                "name": f"商品{pid} {rng.choice(['半斤', '500克', '3个', '1盒', '128克'])}",
                "price": Decimal(rng.randint(100, 9999)) / 100,
                "stock": HOT_STOCK if n < HOT_PRODUCTS else PLENTY,
                "category_id": categories[n % len(categories)],
                "main_img_id": main[n],
                "summary": "新鲜直达，产地直发",
                "on_sale": True,
                "create_time": created,
                "update_time": created,
            }
        )
        # every product is sold through one default SKU carrying its price and stock
        skus.append(
            {
                "product_id": pid,
                "specs": {},
                "price": products[-1]["price"],
                "stock": products[-1]["stock"],
                "create_time": created,
                "update_time": created,
            }
        )
        for position in range(3):
            pictures.append(
                {
                    "product_id": pid,
                    "img_id": details[(n + position) % len(details)],
                    "order": position + 1,
                    "create_time": created,
                    "update_time": created,
                }
            )
        for order, name in enumerate(PROPERTY_NAMES):
            properties.append(
                {
                    "product_id": pid,
                    "name": name,
                    "detail": f"{name}{n % 10}",
                    "order": order,
                    "create_time": created,
                    "update_time": created,
                }
            )
    _insert(Product.__table__, products)
    _insert(Sku.__table__, skus)
    _insert(ProductImage.__table__, pictures)
    _insert(ProductProperty.__table__, properties)
    return [row["id"] for row in products]


def _themes(target: int, product_ids: list[int], rng: random.Random) -> list[int]:
    existing = list(db.session.scalars(select(Theme.id).order_by(Theme.id)))
    missing = max(0, target - len(existing))
    if missing:
        topics = _images(missing, lambda n: f"/{n % 3 + 1}@theme.png")
        heads = _images(missing, lambda n: f"/{n % 3 + 1}@theme-head.png")
        first = _next_id(Theme)
        stamp = now()
        rows = [
            {
                "id": first + n,
                "name": f"专题{first + n}",
                "description": "精选好物",
                "topic_img_id": topics[n],
                "head_img_id": heads[n],
                "create_time": stamp,
                "update_time": stamp,
            }
            for n in range(missing)
        ]
        _insert(Theme.__table__, rows)
        links = []
        for row in rows:
            for order, pid in enumerate(rng.sample(product_ids, min(THEME_SIZE, len(product_ids)))):
                links.append(
                    {"theme_id": row["id"], "product_id": pid, "order": order, "create_time": stamp}
                )
        _insert(theme_product, links)
        existing += [row["id"] for row in rows]
    return existing


def _banner(product_ids: list[int]) -> int:
    if db.session.get(Banner, 1) is not None:
        return 1
    stamp = now()
    db.session.execute(
        insert(Banner.__table__),
        [
            {
                "id": 1,
                "name": "首页置顶",
                "description": "首页轮播图",
                "create_time": stamp,
                "update_time": stamp,
            }
        ],
    )
    images = _images(4, lambda n: f"/banner-{n + 1}a.png")
    _insert(
        BannerItem.__table__,
        [
            {
                "banner_id": 1,
                "img_id": images[n],
                "key_word": str(product_ids[n % len(product_ids)]),
                "type": 1,
                "order": n + 1,
                "create_time": stamp,
                "update_time": stamp,
            }
            for n in range(4)
        ],
    )
    return 1


def _customers(count: int, app: Flask) -> list[dict]:
    """Customers with one default address each; answers [{id, token}]."""
    first = _next_id(User)
    stamp = now()
    password = generate_password_hash("bench-password")  # one hash for all: hashing is slow
    users = [
        {
            "id": first + n,
            "nickname": f"bench{n}",
            "email": f"bench{first + n}@example.com",
            "password_hash": password,
            "avatar": "",
            "auth": 1,
            "active": True,
            "token_version": 0,
            "create_time": stamp,
            "update_time": stamp,
        }
        for n in range(count)
    ]
    _insert(User.__table__, users)
    _insert(
        Address.__table__,
        [
            {
                "user_id": row["id"],
                "name": f"顾客{row['id']}",
                "mobile": f"138{row['id']:08d}",
                "province": "浙江",
                "city": "杭州",
                "country": "西湖",
                "detail": f"文三路{row['id']}号",
                "is_default": True,
                "create_time": stamp,
                "update_time": stamp,
            }
            for row in users
        ],
    )

    class _Claims:  # what issue_access_token reads from a user
        scope = "user"
        token_version = 0

        def __init__(self, uid: int):
            self.id = uid

    with app.test_request_context():
        return [
            {"id": row["id"], "token": issue_access_token(_Claims(row["id"]), CLIENT_EMAIL)}
            for row in users
        ]


def seed_bulk(
    app: Flask,
    products: int = 1000,
    categories: int = 20,
    themes: int = 10,
    users: int = 1000,
    seed: int = 7,
) -> dict:
    """Top the catalog up to the given sizes and add customers; answer the ids the load uses."""
    rng = random.Random(seed)
    with app.app_context():
        category_ids = _categories(categories, rng)
        have = db.session.execute(select(func.count()).select_from(Product.__table__)).scalar()
        new_products = _products(max(0, products - have), category_ids, rng)
        product_ids = list(db.session.scalars(select(Product.id).where(Product.on_sale.is_(True))))
        theme_ids = _themes(themes, product_ids, rng)
        banner_id = _banner(product_ids)
        customers = _customers(users, app)
        db.session.commit()
        return {
            "category_ids": category_ids,
            "product_ids": product_ids,
            "order_product_ids": new_products[HOT_PRODUCTS:] or product_ids,
            "hot_product_ids": new_products[:HOT_PRODUCTS],
            "theme_ids": theme_ids,
            "banner_id": banner_id,
            "customers": customers,
        }


def seed_carts(app: Flask, customers: list[dict], product_ids: list[int], lines: int = 10):
    """`lines` cart lines (1 to 3 units of distinct products' SKUs) per customer; answers
    {customer id: [cart line ids]}."""
    rng = random.Random(13)
    with app.app_context():
        skus = {
            product_id: (sku_id, price)
            for product_id, sku_id, price in db.session.execute(
                select(Sku.product_id, Sku.id, Sku.price).where(Sku.product_id.in_(product_ids))
            )
        }
        first, stamp, rows = _next_id(CartItem), now(), []
        carts: dict[int, list[int]] = {}
        for customer in customers:
            for product_id in rng.sample(list(skus), lines):
                sku_id, price = skus[product_id]
                carts.setdefault(customer["id"], []).append(first + len(rows))
                rows.append(
                    {
                        "id": first + len(rows),
                        "user_id": customer["id"],
                        "product_id": product_id,
                        "sku_id": sku_id,
                        "count": rng.randint(1, 3),
                        "checked": True,
                        "add_price": price,
                        "create_time": stamp,
                        "update_time": stamp,
                    }
                )
        _insert(CartItem.__table__, rows)
        db.session.commit()
        return carts


def seed_coupons(app: Flask, customers: list[dict], copies: int = 3) -> dict[int, list[int]]:
    """A shop-wide full reduction (1.00 off at 10.00, what any order of the load reaches) and
    `copies` held copies of it per customer; answers {customer id: [user coupon ids]}."""
    with app.app_context():
        stamp = now()
        coupon = Coupon(
            name="压测满10减1",
            description="",
            type=1,
            min_amount=Decimal("10.00"),
            amount=Decimal("1.00"),
            scope="all",
            category_ids=[],
            product_ids=[],
            total=None,
            claimed=len(customers) * copies,
            per_user_limit=copies,
            valid_days=30,
            enabled=True,
            kind="claim",
        )
        db.session.add(coupon)
        db.session.flush()
        first, rows = _next_id(UserCoupon), []
        held: dict[int, list[int]] = {}
        for customer in customers:
            for _ in range(copies):
                held.setdefault(customer["id"], []).append(first + len(rows))
                rows.append(
                    {
                        "id": first + len(rows),
                        "user_id": customer["id"],
                        "coupon_id": coupon.id,
                        "status": 1,
                        "valid_start": stamp - 60,
                        "valid_end": stamp + 30 * 86400,
                        "source": "grant",
                        "create_time": stamp,
                        "update_time": stamp,
                    }
                )
        _insert(UserCoupon.__table__, rows)
        db.session.commit()
        return held
