"""POST /v2/product/import and GET /v2/product/import/template: products with their SKUs and
stock from an XLSX file, all rows or none."""

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import OperLog, Product, Sku
from app.services.product_import import COLUMN_NAMES
from tests.factories import auth_headers, make_category, make_sku_product, make_staff

MODULE = "数据导入导出"
URL = "/v2/product/import"


def _headers():
    return auth_headers(make_staff((MODULE, "导入商品")))


def _xlsx(rows, header=COLUMN_NAMES) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "products"
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _post(client, data: bytes, headers=None):
    return client.post(
        URL,
        data={"file": (io.BytesIO(data), "products.xlsx")},
        headers=headers or _headers(),
        content_type="multipart/form-data",
    )


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Product)),
        db.session.scalar(select(func.count()).select_from(Sku)),
        db.session.scalar(select(func.sum(Sku.stock))) or 0,
    )


def test_get_import_template_is_the_layout(client):
    response = client.get(URL + "/template", headers=_headers())
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="product-import.xlsx"'
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["products"]
    assert [cell.value for cell in sheet[1]] == list(COLUMN_NAMES)
    assert [
        row[0] for row in workbook["columns"].iter_rows(min_row=2, max_row=11, values_only=True)
    ] == list(COLUMN_NAMES)


def test_import_the_template_creates_its_products(client):
    template = client.get(URL + "/template", headers=_headers()).get_data()
    response = _post(client, template)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["data"]["created"]
    assert [item["row"] for item in created] == [2, 3]
    shirt = db.session.get(Product, created[1]["id"])
    skus = db.session.scalars(select(Sku).where(Sku.product_id == shirt.id).order_by(Sku.id)).all()
    assert [(sku.spec_text, sku.price, sku.stock) for sku in skus] == [
        ("颜色:红;尺码:M", Decimal("79.00"), 20),
        ("颜色:红;尺码:L", Decimal("79.00"), 15),
    ]
    assert shirt.stock == 35  # derived from the SKUs, as POST /v2/product keeps it


def test_import_creates_products_with_skus_and_stock(client):
    category = make_category()
    rows = [
        {"name": "杯子", "category_id": category.id, "summary": "好", "price": "12.5", "stock": 7},
        {"name": "鞋", "specs": "尺码:40", "price": 99, "stock": 3, "code": "S-40"},
        {"name": "鞋", "specs": "尺码:41", "price": "109.90", "stock": 4, "code": "S-41"},
    ]
    response = _post(client, _xlsx(rows))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["updated"] == []
    cup = db.session.get(Product, data["created"][0]["id"])
    assert (cup.name, cup.category_id, cup.summary, cup.price, cup.stock) == (
        "杯子",
        category.id,
        "好",
        Decimal("12.50"),
        7,
    )
    shoe = db.session.get(Product, data["created"][1]["id"])
    skus = db.session.scalars(select(Sku).where(Sku.product_id == shoe.id).order_by(Sku.id)).all()
    assert [(s.specs, s.price, s.stock, s.code) for s in skus] == [
        ({"尺码": "40"}, Decimal("99.00"), 3, "S-40"),
        ({"尺码": "41"}, Decimal("109.90"), 4, "S-41"),
    ]
    assert (shoe.price, shoe.stock) == (Decimal("99.00"), 7)
    row = db.session.scalars(select(OperLog).where(OperLog.endpoint.like("%import%"))).one()
    assert (row.type, row.module, row.status_code) == (6, MODULE, 201)


def test_import_updates_skus_and_stock(client):
    product = make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "10.00", 5), ({"颜色": "蓝"}, "10.00", 5)],
    )
    red, blue = db.session.scalars(
        select(Sku).where(Sku.product_id == product.id).order_by(Sku.id)
    ).all()
    rows = [
        {
            "product_id": product.id,
            "name": "新名字",
            "sku_id": red.id,
            "specs": "颜色:红",
            "price": "11.00",
            "stock": 50,
        },
        {"product_id": product.id, "specs": "颜色:蓝", "price": "12.00", "stock": 0},
        {"product_id": product.id, "specs": "颜色:绿", "price": "13.00", "stock": 9},
    ]
    response = _post(client, _xlsx(rows))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["updated"] == [{"row": 2, "id": product.id}]
    db.session.expire_all()
    live = db.session.scalars(
        select(Sku).where(Sku.product_id == product.id, Sku.delete_time.is_(None)).order_by(Sku.id)
    ).all()
    assert [(s.id, s.specs, s.price, s.stock) for s in live] == [
        (red.id, {"颜色": "红"}, Decimal("11.00"), 50),
        (blue.id, {"颜色": "蓝"}, Decimal("12.00"), 0),
        (live[2].id, {"颜色": "绿"}, Decimal("13.00"), 9),
    ]
    product = db.session.get(Product, product.id)
    assert (product.name, product.stock, product.price) == ("新名字", 59, Decimal("11.00"))


def test_import_of_hundreds_of_rows_with_one_bad_row_changes_nothing(client):
    existing = make_sku_product(specs={"颜色": ["红"]}, skus=[({"颜色": "红"}, "10.00", 5)])
    before = _counts()
    rows = []
    for n in range(150):
        rows.append({"name": f"商品{n}", "specs": "尺码:M", "price": "10.00", "stock": n})
        rows.append({"name": f"商品{n}", "specs": "尺码:L", "price": "11.00", "stock": 1})
    rows.append({"product_id": existing.id, "specs": "颜色:红", "price": "1.00", "stock": 999})
    rows[123]["price"] = "abc"  # spreadsheet row 125
    response = _post(client, _xlsx(rows))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_code"] == 90070
    assert body["detail"]["errors"] == [
        {
            "row": 125,
            "field": "price",
            "message": "Not a valid amount: use a number with at most two decimals.",
        }
    ]
    assert "row 125" in body["msg"]
    db.session.expire_all()
    assert _counts() == before
    assert db.session.get(Product, existing.id).stock == 5


def test_import_answers_every_row_error(client):
    rows = [
        {"name": "A", "price": "1.00", "stock": -1},
        {"name": "B", "price": "1.00", "category_id": 999999},
        {"product_id": 999999, "price": "1.00"},
        {"price": "1.00"},
        {"name": "C", "specs": "颜色", "price": "1.00"},
        {"name": "D", "specs": "颜色:红", "price": "1.00"},
        {"name": "D", "specs": "颜色:红", "price": "2.00"},
    ]
    response = _post(client, _xlsx(rows))
    assert response.status_code == 400
    errors = response.get_json()["detail"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [
        (2, "stock"),
        (3, "category_id"),
        (4, "product_id"),
        (5, "name"),
        (6, "specs"),
        (8, "specs"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0


def test_import_bounds_rows_and_bytes(client, make_app):
    small = make_app(IMPORT_MAX_ROWS=3, IMPORT_MAX_BYTES=100000).test_client()
    headers = _headers()
    rows = [{"name": f"P{n}", "price": "1.00"} for n in range(4)]
    response = _post(small, _xlsx(rows), headers)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 90060
    tiny = make_app(IMPORT_MAX_BYTES=1000).test_client()
    response = _post(tiny, _xlsx(rows[:1]), headers)
    assert response.status_code == 413
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0


def test_import_refuses_what_is_not_the_layout(client):
    response = _post(client, b"not a spreadsheet")
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 90050
    response = _post(client, _xlsx([{"name": "x"}], header=("name", "colour")))
    assert response.status_code == 400
    assert response.get_json()["detail"]["unknown_columns"] == ["colour"]
    response = client.post(URL, json={"name": "x"}, headers=_headers())
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 90050


def test_import_needs_the_permission(client, customer_headers):
    assert client.get(URL + "/template", headers=customer_headers).status_code == 403
    other = auth_headers(make_staff(("商品", "新增商品")))
    assert _post(client, _xlsx([{"name": "x", "price": "1.00"}]), other).status_code == 403
    assert client.get(URL + "/template").status_code == 401
