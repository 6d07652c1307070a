"""GET /v2/order/export: the order search's lines as CSV or XLSX, streamed and neutralised."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import insert, select

from app.extensions import db
from app.models import OperLog, Order, OrderProduct
from app.services import order_export
from tests.factories import (
    auth_headers,
    make_address,
    make_order,
    make_product,
    make_staff,
    make_user,
    pay_order,
)

MODULE = "数据导入导出"
URL = "/v2/order/export"


def _headers():
    return auth_headers(make_staff((MODULE, "导出订单")))


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def _column(name: str) -> int:
    return order_export.COLUMNS.index(name)


def test_export_orders_csv_one_row_per_line_with_amounts(client):
    user = make_user()
    make_address(user)
    first, second = make_product(price="10.00"), make_product(price="2.50")
    order = make_order(user, (first, 2), (second, 1))
    pay_order(order)
    response = client.get(URL, headers=_headers())
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="orders-')
    header, *rows = _csv_rows(response)
    assert header == list(order_export.COLUMNS)
    assert len(rows) == 2
    by_product = {int(row[_column("product_id")]): row for row in rows}
    line = by_product[first.id]
    assert line[_column("order_no")] == order.order_no
    assert line[_column("status_name")] == "PAID"
    assert line[_column("count")] == "2"
    assert line[_column("price")] == "10.00"
    assert line[_column("line_pay_amount")] == "20.00"
    assert line[_column("goods_amount")] == "22.50"
    assert line[_column("total_price")] == "22.50"
    assert line[_column("coupon_discount")] == "0.00"
    assert line[_column("receiver")] == "张三"
    assert line[_column("address_detail")] == "文三路1号"
    assert line[_column("product_name")] == first.name


def test_export_orders_uses_the_search_filters(client):
    user, other = make_user(), make_user()
    mine = make_order(user, (make_product(), 1))
    make_order(other, (make_product(), 1))
    paid = make_order(user, (make_product(), 1))
    pay_order(paid)
    headers = _headers()
    rows = _csv_rows(client.get(URL, query_string={"user_id": user.id}, headers=headers))[1:]
    assert sorted(row[0] for row in rows) == sorted([mine.order_no, paid.order_no])
    rows = _csv_rows(
        client.get(URL, query_string={"user_id": user.id, "status": "2"}, headers=headers)
    )[1:]
    assert [row[0] for row in rows] == [paid.order_no]
    rows = _csv_rows(client.get(URL, query_string={"order_no": mine.order_no}, headers=headers))
    assert [row[0] for row in rows[1:]] == [mine.order_no]


def test_export_orders_bad_filter_answers_400(client):
    response = client.get(URL, query_string={"format": "pdf"}, headers=_headers())
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000
    response = client.get(URL, query_string={"status": "99"}, headers=_headers())
    assert response.status_code == 400


def test_export_orders_needs_the_permission(client, customer_headers):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=customer_headers).status_code == 403
    other_staff = auth_headers(make_staff(("订单", "查询订单列表")))
    response = client.get(URL, headers=other_staff)
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def test_export_orders_writes_the_operation_log(client):
    staff = make_staff((MODULE, "导出订单"))
    response = client.get(URL, query_string={"format": "xlsx"}, headers=auth_headers(staff))
    assert response.status_code == 200
    row = db.session.scalars(select(OperLog)).one()
    assert row.user_id == staff.id
    assert row.type == 5  # EXPORT
    assert row.module == MODULE
    assert row.auth == "导出订单"
    assert row.request_method == "GET"
    assert row.path == URL


HOSTILE = {
    "name": '=HYPERLINK("http://evil","x")',
    "detail": "+cmd|' /C calc'!A0",
    "city": "-2+3",
    "country": "@SUM(1)",
    "province": "\tTAB",
}


def _hostile_order():
    user = make_user()
    make_address(user, **HOSTILE)
    order = make_order(user, (make_product(name="=1+2"), 1))
    db.session.query(Order).filter_by(id=order.id).update({"tracking_no": "\rCR"})
    db.session.commit()
    return order


def test_export_orders_csv_neutralises_formulas(client):
    _hostile_order()
    row = _csv_rows(client.get(URL, headers=_headers()))[1]
    assert row[_column("receiver")] == "'" + HOSTILE["name"]
    assert row[_column("address_detail")] == "'" + HOSTILE["detail"]
    assert row[_column("city")] == "'-2+3"
    assert row[_column("country")] == "'@SUM(1)"
    assert row[_column("province")] == "'\tTAB"
    assert row[_column("product_name")] == "'=1+2"
    assert row[_column("tracking_no")] == "'\rCR"
    for cell in row:
        assert not cell.startswith(order_export.FORMULA_STARTS)


def test_export_orders_xlsx_neutralises_formulas(client):
    order = _hostile_order()
    response = client.get(URL, query_string={"format": "xlsx"}, headers=_headers())
    assert response.status_code == 200
    assert response.mimetype == order_export.MIME_TYPES["xlsx"]
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header == list(order_export.COLUMNS)
    cells = sheet[2]
    assert all(cell.data_type != "f" for cell in cells)
    values = {name: cell.value for name, cell in zip(header, cells, strict=True)}
    assert values["order_no"] == order.order_no
    assert values["receiver"] == "'" + HOSTILE["name"]
    assert values["address_detail"] == "'" + HOSTILE["detail"]
    assert values["country"] == "'@SUM(1)"
    assert values["product_name"] == "'=1+2"
    assert float(values["total_price"]) == float(order.total_price)
    for value in values.values():
        assert not (isinstance(value, str) and value.startswith(order_export.FORMULA_STARTS))


def _bulk_lines(user_id: int, orders: int, lines: int, product_id: int) -> None:
    """`orders` orders of `lines` lines each, inserted in bulk (placing them would be slow)."""
    order_rows = [
        {
            "order_no": f"X{n:012d}",
            "user_id": user_id,
            "order_status": 2,
            "snap_name": "bulk",
            "snap_items": [{"id": product_id, "sku_id": None, "name": "bulk"}],
            "snap_address": {"name": "李四", "detail": "=cmd"},
            "total_count": lines,
            "total_price": "10.00",
            "goods_amount": "10.00",
            "expire_time": 0,
            "create_time": 1_700_000_000 + n,
            "update_time": 1_700_000_000 + n,
        }
        for n in range(orders)
    ]
    db.session.execute(insert(Order), order_rows)
    ids = db.session.scalars(select(Order.id).where(Order.snap_name == "bulk")).all()
    db.session.execute(
        insert(OrderProduct),
        [
            {
                "order_id": order_id,
                "product_id": product_id,
                "count": 1,
                "price": "10.00",
                "pay_amount": "10.00",
            }
            for order_id in ids
            for _ in range(lines)
        ],
    )
    db.session.commit()


def test_export_orders_of_many_lines_is_streamed(client, app, monkeypatch):
    monkeypatch.setattr(order_export, "BATCH", 100)
    _bulk_lines(make_user().id, orders=400, lines=3, product_id=make_product().id)
    headers = _headers()
    db.session.remove()
    response = client.get(URL, headers=headers, buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    chunks, seen, held = 0, 0, set()
    for chunk in response.response:
        chunks += 1
        seen += chunk.count(b"\n")
        # the rows are read as plain columns: nothing piles up in the session meanwhile (it
        # holds the caller and the operation log row only)
        held.add(len(db.session.identity_map))
    assert max(held) <= 2
    response.close()
    assert seen == 1 + 1200  # the header and every line
    assert chunks >= 12  # sent a batch at a time, not as one body


def test_export_rows_reads_with_a_server_side_cursor(app):
    statement = order_export.export_statement(statuses=[2])
    compiled = str(statement.compile(db.engine))
    assert "JOIN" in compiled and "order_status IN" in compiled
    seen = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        seen.append(context.execution_options.get("yield_per"))

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        assert list(order_export.export_rows()) == []
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    assert seen == [order_export.BATCH]
