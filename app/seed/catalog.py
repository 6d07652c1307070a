"""Demo catalog: the images, categories, products, themes and banner of the original demo.

Ids are inserted as given: banner items name product ids in `key_word`. Each row is found by its
natural key (image url, category/product/theme/banner name); an existing row is left alone.
"""

from decimal import Decimal

from sqlalchemy import insert

from app.extensions import db
from app.models import (
    Banner,
    BannerItem,
    Category,
    Image,
    Product,
    ProductImage,
    ProductProperty,
    ProductSpec,
    Sku,
    Theme,
    theme_product,
)
from app.models.base import now
from app.seed.rows import add_missing, existing
from app.services.catalog import invalidate_catalog
from app.services.sku import spec_text

# id: path under /static/images (source 1 = app static)
IMAGES = {
    1: "/banner-1a.png",
    2: "/banner-2a.png",
    3: "/banner-3a.png",
    4: "/category-cake.png",
    5: "/category-vg.png",
    6: "/category-dryfruit.png",
    7: "/category-fry-a.png",
    8: "/category-tea.png",
    9: "/category-rice.png",
    10: "/product-dryfruit@1.png",
    13: "/product-vg@1.png",
    14: "/product-rice@6.png",
    16: "/1@theme.png",
    17: "/2@theme.png",
    18: "/3@theme.png",
    19: "/detail-1@1-dryfruit.png",
    20: "/detail-2@1-dryfruit.png",
    21: "/detail-3@1-dryfruit.png",
    22: "/detail-4@1-dryfruit.png",
    23: "/detail-5@1-dryfruit.png",
    24: "/detail-6@1-dryfruit.png",
    25: "/detail-7@1-dryfruit.png",
    26: "/detail-8@1-dryfruit.png",
    27: "/detail-9@1-dryfruit.png",
    28: "/detail-11@1-dryfruit.png",
    29: "/detail-10@1-dryfruit.png",
    31: "/product-rice@1.png",
    32: "/product-tea@1.png",
    33: "/product-dryfruit@2.png",
    36: "/product-dryfruit@3.png",
    37: "/product-dryfruit@4.png",
    38: "/product-dryfruit@5.png",
    39: "/product-dryfruit-a@6.png",
    40: "/product-dryfruit@7.png",
    41: "/product-rice@2.png",
    42: "/product-rice@3.png",
    43: "/product-rice@4.png",
    44: "/product-fry@1.png",
    45: "/product-fry@2.png",
    46: "/product-fry@3.png",
    47: "/product-tea@2.png",
    48: "/product-tea@3.png",
    49: "/1@theme-head.png",
    50: "/2@theme-head.png",
    51: "/3@theme-head.png",
    52: "/product-cake@1.png",
    53: "/product-cake@2.png",
    54: "/product-cake-a@3.png",
    55: "/product-cake-a@4.png",
    56: "/product-dryfruit@8.png",
    57: "/product-fry@4.png",
    58: "/product-fry@5.png",
    59: "/product-rice@5.png",
    60: "/product-rice@7.png",
    62: "/detail-12@1-dryfruit.png",
    63: "/detail-13@1-dryfruit.png",
    65: "/banner-4a.png",
    66: "/product-vg@4.png",
    67: "/product-vg@5.png",
    68: "/product-vg@2.png",
    69: "/product-vg@3.png",
}

CATEGORY_COLUMNS = ("id", "name", "topic_img_id")
CATEGORIES = [
    (2, "果味", 6),
    (3, "蔬菜", 5),
    (4, "炒货", 7),
    (5, "点心", 4),
    (6, "粗茶", 8),
    (7, "淡饭", 9),
]

# id, name, category_id, price, stock, main_img_id
PRODUCTS = [
    (1, "芹菜 半斤", 3, "3.50", 998, 13),
    (2, "梨花带雨 3个", 2, "12.90", 984, 10),
    (3, "素米 327克", 7, "9.80", 996, 31),
    (4, "红袖枸杞 6克*3袋", 6, "15.00", 998, 32),
    (5, "春生龙眼 500克", 2, "19.90", 995, 33),
    (6, "小红的猪耳朵 120克", 5, "16.80", 997, 53),
    (7, "泥蒿 半斤", 3, "6.50", 998, 68),
    (8, "夏日芒果 3个", 2, "18.80", 995, 36),
    (9, "冬木红枣 500克", 2, "25.00", 996, 37),
    (10, "万紫千凤梨 300克", 2, "14.90", 996, 38),
    (11, "贵妃笑 100克", 2, "29.90", 994, 39),
    (12, "珍奇异果 3个", 2, "13.80", 999, 40),
    (13, "绿豆 125克", 7, "4.90", 999, 41),
    (14, "芝麻 50克", 7, "5.50", 999, 42),
    (15, "猴头菇 370克", 7, "36.00", 999, 43),
    (16, "西红柿 1斤", 3, "4.80", 999, 69),
    (17, "油炸花生 300克", 4, "12.00", 999, 44),
    (18, "春泥西瓜子 128克", 4, "8.90", 997, 45),
    (19, "碧水葵花籽 128克", 4, "7.90", 999, 46),
    (20, "碧螺春 12克*3袋", 6, "38.00", 999, 47),
    (21, "西湖龙井 8克*3袋", 6, "45.00", 998, 48),
    (22, "梅兰清花糕 1个", 5, "6.00", 997, 54),
    (23, "清凉薄荷糕 1个", 5, "6.00", 998, 55),
    (25, "小明的妙脆角 120克", 5, "9.90", 999, 52),
    (26, "红衣青瓜 混搭160克", 2, "11.50", 999, 56),
    (27, "锈色瓜子 100克", 4, "6.90", 998, 57),
    (28, "春泥花生 200克", 4, "10.50", 999, 58),
    (29, "冰心鸡蛋 2个", 7, "3.00", 999, 59),
    (30, "八宝莲子 200克", 7, "22.00", 999, 14),
    (31, "深涧木耳 78克", 7, "18.00", 999, 60),
    (32, "土豆 半斤", 3, "2.50", 999, 66),
    (33, "青椒 半斤", 3, "3.20", 999, 67),
]

# product id: detail image ids by position 1..n
PRODUCT_IMAGES = {11: [19, 20, 21, 22, 23, 24, 25, 26, 27, 29, 28, 62, 63]}

# product id: (name, detail) in order
PRODUCT_PROPERTIES = {
    11: [
        ("品名", "杨梅"),
        ("口味", "青梅味 雪梨味 黄桃味 菠萝味"),
        ("产地", "火星"),
        ("保质期", "180天"),
    ],
    2: [("品名", "梨子"), ("产地", "金星"), ("净含量", "100g"), ("保质期", "10天")],
}

# product id: (specifications {name: values in order}, SKUs [(combination, price, stock)]);
# the other products have one default SKU carrying their price and stock. The SKUs' lowest
# price and total stock are the product's PRODUCTS price and stock.
PRODUCT_SKUS = {
    9: (
        {"规格": ["500克", "1000克"]},
        [({"规格": "500克"}, "25.00", 600), ({"规格": "1000克"}, "46.00", 396)],
    ),
    8: (
        {"产地": ["海南", "广西"], "规格": ["3个", "6个"]},
        [
            ({"产地": "海南", "规格": "3个"}, "18.80", 300),
            ({"产地": "海南", "规格": "6个"}, "35.00", 200),
            ({"产地": "广西", "规格": "3个"}, "18.80", 300),
            ({"产地": "广西", "规格": "6个"}, "34.00", 195),
        ],
    ),
}

# id, name, description, topic_img_id, head_img_id, product ids in order
THEMES = [
    (1, "专题栏位一", "美味水果世界", 16, 49, [2, 5, 8, 10, 12]),
    (2, "专题栏位二", "新品推荐", 17, 50, [1, 2, 3, 5, 6, 16, 33]),
    (3, "专题栏位三", "做个干物女", 18, 51, [15, 18, 19, 27, 30, 31]),
]

BANNER = (1, "首页置顶", "首页轮播图")
# item id, order, img_id, type, key_word
BANNER_ITEMS = [
    (1, 1, 65, 1, "6"),
    (2, 2, 2, 1, "25"),
    (3, 3, 3, 1, "11"),
    (4, 4, 1, 1, "10"),
]


def _seed_images() -> None:
    add_missing(Image, ("id", "url"), IMAGES.items(), "url", deleted=True, source=1)
    db.session.flush()


def _seed_categories() -> None:
    add_missing(Category, CATEGORY_COLUMNS, CATEGORIES, "name", deleted=True, description="")
    db.session.flush()


def _seed_products(seeded_at: int) -> None:
    known = existing(Product.name, deleted=True)
    for product_id, name, category_id, price, stock, main_img_id in PRODUCTS:
        if name in known:
            continue
        created = seeded_at + product_id  # a higher id is newer (GET /v1/product/recent)
        db.session.add(
            Product(
                id=product_id,
                name=name,
                category_id=category_id,
                price=Decimal(price),
                stock=stock,
                main_img_id=main_img_id,
                summary="",
                on_sale=True,
                create_time=created,
                update_time=created,
            )
        )
        _seed_skus(product_id, price, stock, created)
        for position, img_id in enumerate(PRODUCT_IMAGES.get(product_id, []), start=1):
            db.session.add(ProductImage(product_id=product_id, img_id=img_id, order=position))
        for position, (prop_name, detail) in enumerate(
            PRODUCT_PROPERTIES.get(product_id, []), start=1
        ):
            db.session.add(
                ProductProperty(
                    product_id=product_id, name=prop_name, detail=detail, order=position
                )
            )
        db.session.flush()


def _seed_skus(product_id: int, price: str, stock: int, created: int) -> None:
    db.session.flush()  # the product row first
    specs, skus = PRODUCT_SKUS.get(product_id, ({}, [({}, price, stock)]))
    names = list(specs)
    for position, (name, values) in enumerate(specs.items(), start=1):
        db.session.add(
            ProductSpec(product_id=product_id, name=name, values=list(values), order=position)
        )
    for combination, sku_price, sku_stock in skus:
        db.session.add(
            Sku(
                product_id=product_id,
                specs=combination,
                spec_text=spec_text(names, combination),
                price=Decimal(sku_price),
                stock=sku_stock,
                create_time=created,
                update_time=created,
            )
        )


def _seed_themes(seeded_at: int) -> None:
    known = existing(Theme.name, deleted=True)
    for theme_id, name, description, topic_img_id, head_img_id, product_ids in THEMES:
        if name in known:
            continue
        db.session.add(
            Theme(
                id=theme_id,
                name=name,
                description=description,
                topic_img_id=topic_img_id,
                head_img_id=head_img_id,
            )
        )
        db.session.flush()
        db.session.execute(
            insert(theme_product),
            [
                {"theme_id": theme_id, "product_id": pid, "order": i, "create_time": seeded_at}
                for i, pid in enumerate(product_ids, start=1)
            ],
        )


def _seed_banner() -> None:
    banner_id, name, description = BANNER
    if name in existing(Banner.name, deleted=True):
        return
    db.session.add(Banner(id=banner_id, name=name, description=description))
    db.session.flush()
    for item_id, order, img_id, link_type, key_word in BANNER_ITEMS:
        db.session.add(
            BannerItem(
                id=item_id,
                banner_id=banner_id,
                img_id=img_id,
                type=link_type,
                key_word=key_word,
                order=order,
            )
        )
    db.session.flush()


def seed_catalog() -> None:
    """Load the demo catalog (idempotent)."""
    seeded_at = now()
    _seed_images()
    _seed_categories()
    _seed_products(seeded_at)
    _seed_themes(seeded_at)
    _seed_banner()
    db.session.commit()
    invalidate_catalog()
