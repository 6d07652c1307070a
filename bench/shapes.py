"""Microbenchmark: serializing 20 product summaries with a hand-written dict vs with the shape.

    uv run python -m bench.shapes

Runs on an in-memory SQLite database inside a request context (image URLs need the host).
"""

import timeit
from decimal import Decimal

from flask import jsonify

from app import create_app
from app.extensions import db
from app.models import Category, Image, Product
from app.models.base import money_text
from app.schemas.base import Items
from app.schemas.product import ProductSummary

ROUNDS = 1000


def by_hand(product: Product) -> dict:
    """The ProductSummary answer written out by hand: the baseline a shape is measured against."""
    return {
        "id": product.id,
        "name": product.name,
        "price": money_text(product.price),
        "stock": product.stock,
        "category_id": product.category_id,
        "main_image": product.main_img.absolute_url if product.main_img is not None else "",
        "summary": product.summary,
    }


def main() -> None:
    app = create_app({"DATABASE_URL": "sqlite://"}, env_mode="testing")
    with app.test_request_context("/v1/product/recent", base_url="http://shop.example"):
        db.create_all()
        category = Category(name="fruit")
        db.session.add(category)
        db.session.flush()
        for n in range(20):
            image = Image(url=f"/p{n}.png", source=1)
            db.session.add(image)
            db.session.flush()
            db.session.add(
                Product(
                    name=f"product {n}",
                    price=Decimal("12.30"),
                    stock=n,
                    category_id=category.id,
                    main_img_id=image.id,
                    summary="A fine product",
                )
            )
        db.session.commit()
        products = list(db.session.scalars(db.select(Product).order_by(Product.id)))
        items = Items(ProductSummary)
        assert items.serialize({"items": products}) == {"items": [by_hand(p) for p in products]}
        cases = {
            "by hand": lambda: {"items": [by_hand(p) for p in products]},
            "ProductSummary shape": lambda: items.serialize({"items": products}),
            "marshmallow Schema.dump": lambda: items().dump({"items": products}),
            "by hand + jsonify": lambda: jsonify({"items": [by_hand(p) for p in products]}),
            "shape + jsonify": lambda: jsonify(items.serialize({"items": products})),
        }
        for name, case in cases.items():
            best = min(timeit.repeat(case, number=ROUNDS, repeat=5)) / ROUNDS
            print(f"{name:24} {best * 1e6:8.1f} µs per 20 products")


if __name__ == "__main__":
    main()
