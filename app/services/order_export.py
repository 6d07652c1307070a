"""The order export: one row per order line, as CSV or XLSX, read and written a batch at a time.

Rows come from a server-side cursor (`yield_per`: MariaDB streams them, SQLite fetches in
batches) over plain columns, so neither the session's identity map nor a list of rows grows with
the export. CSV is written to the response as it is read; XLSX goes through openpyxl's write-only
workbook, which keeps the rows in a temporary file, and that file is then sent in chunks. Memory
stays flat whatever the number of lines.

Text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`, so a
spreadsheet shows them as text instead of running them as a formula (a customer writes the
address; an admin opens the file).
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select

from app.core.timefmt import format_time
from app.extensions import db
from app.models import Order, OrderProduct, OrderStatus
from app.models.base import money_text
from app.services.orders import order_query

BATCH = 1000  # rows fetched per round trip, and CSV rows per chunk sent
CHUNK = 64 * 1024  # bytes per chunk of an XLSX file
FORMATS = ("csv", "xlsx")
MIME_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "order_no",
    "order_status",
    "status_name",
    "create_time",
    "pay_time",
    "user_id",
    "product_id",
    "sku_id",
    "product_name",
    "spec",
    "price",
    "count",
    "line_pay_amount",
    "goods_amount",
    "freight_amount",
    "coupon_discount",
    "total_price",
    "receiver",
    "mobile",
    "province",
    "city",
    "country",
    "address_detail",
    "carrier",
    "tracking_no",
    "delivery_time",
)

_SELECTED = (
    Order.id,
    Order.order_no,
    Order.order_status,
    Order.create_time,
    Order.pay_time,
    Order.user_id,
    Order.snap_items,
    Order.snap_address,
    Order.goods_amount,
    Order.freight_amount,
    Order.coupon_discount,
    Order.total_price,
    Order.carrier,
    Order.tracking_no,
    Order.delivery_time,
    OrderProduct.product_id,
    OrderProduct.sku_id,
    OrderProduct.spec,
    OrderProduct.price,
    OrderProduct.count,
    OrderProduct.pay_amount,
)


def neutralised(value):
    """A cell value a spreadsheet cannot run: text that would start a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_statement(**filters):
    """The lines of the orders `order_query(**filters)` finds (the admin search's filters),
    newest order first, each order's lines in id order."""
    orders = order_query(admin=False, **filters)
    statement = select(*_SELECTED).join(Order, OrderProduct.order_id == Order.id)
    if orders.whereclause is not None:
        statement = statement.where(orders.whereclause)
    return statement.order_by(Order.create_time.desc(), Order.id.desc(), OrderProduct.id)


def _status_name(status: int) -> str:
    return OrderStatus(status).name if status in OrderStatus._value2member_map_ else ""


def _names(snap_items) -> dict:
    items = json.loads(snap_items) if isinstance(snap_items, str) else snap_items or []
    return {(item.get("id"), item.get("sku_id")): item.get("name", "") for item in items}


def export_rows(**filters) -> Iterator[tuple]:
    """One tuple per line (in COLUMNS order, text neutralised), read a batch at a time."""
    statement = export_statement(**filters).execution_options(yield_per=BATCH)
    order_id, names = None, {}
    for row in db.session.execute(statement):
        if row.id != order_id:
            order_id, names = row.id, _names(row.snap_items)
        address = row.snap_address or {}
        name = names.get((row.product_id, row.sku_id)) or names.get((row.product_id, None), "")
        yield tuple(
            neutralised(value)
            for value in (
                row.order_no,
                row.order_status,
                _status_name(row.order_status),
                format_time(row.create_time),
                format_time(row.pay_time),
                row.user_id,
                row.product_id,
                row.sku_id,
                name,
                row.spec,
                row.price,
                row.count,
                row.pay_amount,
                row.goods_amount,
                row.freight_amount,
                row.coupon_discount,
                row.total_price,
                address.get("name", ""),
                address.get("mobile", ""),
                address.get("province", ""),
                address.get("city", ""),
                address.get("country", ""),
                address.get("detail", ""),
                row.carrier or "",
                row.tracking_no or "",
                format_time(row.delivery_time),
            )
        )


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money_text(value)
    return str(value)


def csv_chunks(rows) -> Iterator[bytes]:
    """The CSV file (UTF-8 with a BOM, so Excel reads the Chinese text) a batch of rows at a
    time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, row in enumerate(rows, 1):
        writer.writerow([_csv_text(value) for value in row])
        if n % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(rows, title: str = "orders") -> Iterator[bytes]:
    """The XLSX file: rows appended to a write-only sheet (kept on disk by openpyxl), then the
    saved file read back in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def export_chunks(file_format: str, **filters) -> Iterator[bytes]:
    """The export file of the orders the filters find, as an iterator of bytes."""
    rows = export_rows(**filters)
    return csv_chunks(rows) if file_format == "csv" else xlsx_chunks(rows)


def file_name(file_format: str, at: int) -> str:
    stamp = (format_time(at) or "").replace("-", "").replace(":", "").replace(" ", "-")
    return f"orders-{stamp}.{file_format}"
