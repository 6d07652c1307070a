"""The product import: an XLSX file of one row per SKU creates or updates products with their
SKUs and stock, all rows or none.

The layout (also the downloadable template, `template_bytes`): the first sheet, a header row
naming the COLUMNS, then one row per SKU. Rows of one product follow each other: the same
`product_id` (an update), or no `product_id` and the same `name` (a new product). The first row
of a product carries its product fields; its rows together are its whole SKU list, as `skus` of
PUT /v2/product is (a SKU left out is taken off sale or deleted).

`read_rows` bounds and reads the file; app/validators/product_import.py turns the rows into the
bodies of POST/PUT /v2/product and validates them with those routes' forms; `import_products`
checks what needs the database, then applies every product through the same services as those
routes (app/services/catalog, app/services/sku.py) in one transaction, committed once.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from flask import current_app
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.core.exceptions import (
    APIException,
    ImportFileInvalid,
    ImportRowsInvalid,
    ImportTooLarge,
)
from app.extensions import db
from app.models import Category, Product, Sku
from app.services import sku as sku_service
from app.services.catalog import products as product_service
from app.services.catalog.cache import commit, deferred_commits

SHEET = "products"
COLUMNS = (
    ("product_id", "empty: a new product; an id: update that product"),
    ("name", "product name, 1 to 80 characters (required for a new product)"),
    ("category_id", "id of an existing category (optional)"),
    ("summary", "short text, up to 255 characters (optional)"),
    ("on_sale", "true/false or 1/0 (default true)"),
    ("specs", "the SKU's specification values, e.g. 颜色:红;尺码:M (empty: no specifications)"),
    ("sku_id", "an existing SKU of the product to update (optional; else matched by specs)"),
    ("price", "SKU price, yuan with at most two decimals, e.g. 12.50 (required)"),
    ("stock", "SKU stock, a whole number >= 0 (default 0)"),
    ("code", "SKU code, up to 64 characters (optional)"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RowError:
    row: int  # spreadsheet row number (the header is row 1)
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ProductRows:
    """One product of the file: its rows, and the POST/PUT /v2/product body they make."""

    rows: list[int]
    product_id: int | None
    body: dict = field(default_factory=dict)


# ------------------------------------------------------------------ reading


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(row number, {column: value}) of the file's data rows, blank rows skipped; the file
    must be an XLSX within IMPORT_MAX_BYTES and IMPORT_MAX_ROWS."""
    max_bytes, max_rows = (current_app.config[k] for k in ("IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS"))
    if len(data) > max_bytes:
        raise ImportTooLarge(f"The file has {len(data)} bytes; at most {max_bytes}")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileInvalid() from None
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [str(_cell(value) or "").lower() for value in next(lines, ())]
        unknown = [name for name in header if name and name not in COLUMN_NAMES]
        if unknown or "price" not in header:
            raise ImportFileInvalid(
                "The header row must name the template's columns: " + ", ".join(COLUMN_NAMES),
                detail={"unknown_columns": unknown},
            )
        rows = []
        for number, values in enumerate(lines, start=2):
            cells = {
                name: _cell(value)
                for name, value in zip(header, values, strict=False)
                if name and _cell(value) is not None
            }
            if not cells:
                continue
            if len(rows) >= max_rows:
                raise ImportTooLarge(f"The file has more than {max_rows} data rows")
            rows.append((number, cells))
    finally:
        workbook.close()
    if not rows:
        raise ImportFileInvalid("The file has no data rows")
    return rows


# ------------------------------------------------------------------ the template


def template_bytes() -> bytes:
    """The import template: the header row and three example rows, and a sheet describing
    every column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(COLUMN_NAMES)
    sheet.append([None, "保温杯", None, "304 不锈钢", "true", None, None, "59.00", 100, "CUP-1"])
    sheet.append([None, "T恤", None, "纯棉", "true", "颜色:红;尺码:M", None, "79.00", 20, ""])
    sheet.append([None, "T恤", None, None, None, "颜色:红;尺码:L", None, "79.00", 15, ""])
    help_sheet = workbook.create_sheet("columns")
    help_sheet.append(("column", "meaning"))
    for name, meaning in COLUMNS:
        help_sheet.append((name, meaning))
    help_sheet.append(())
    help_sheet.append(("rows", "one row per SKU; the rows of one product follow each other"))
    help_sheet.append(("update", "a product's rows are its whole SKU list (as PUT /v2/product)"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ applying

_ITEM = re.compile(r"^(?:skus: )?item (\d+): (\w+): (.*)$", re.I)


def row_error(group: ProductRows, message: str, default_field: str = "") -> RowError:
    """The row and field a message of the product forms or services names ("skus: item 2:
    price: ..." is the group's third row)."""
    found = _ITEM.match(message)
    if found and int(found.group(1)) < len(group.rows):
        name = found.group(2)
        return RowError(
            group.rows[int(found.group(1))], "sku_id" if name == "id" else name, found.group(3)
        )
    name, _, rest = message.partition(": ")
    if rest and name.isidentifier():
        return RowError(group.rows[0], name, rest)
    return RowError(group.rows[0], default_field, message)


def _check(groups: list[ProductRows]) -> list[RowError]:
    """What the forms cannot know: ids that must exist, and the SKU rules of the specs."""
    errors = []
    category_ids = {g.body["category_id"] for g in groups if g.body.get("category_id")}
    known = set(db.session.scalars(select(Category.id).where(Category.id.in_(category_ids))))
    product_ids = {g.product_id for g in groups if g.product_id}
    live = set(
        db.session.scalars(
            select(Product.id).where(Product.id.in_(product_ids), Product.delete_time.is_(None))
        )
    )
    skus = db.session.execute(
        select(Sku.id, Sku.product_id).where(Sku.product_id.in_(product_ids))
    ).all()
    sku_owner = dict(skus)
    for group in groups:
        category_id = group.body.get("category_id")
        if category_id and category_id not in known:
            errors.append(RowError(group.rows[0], "category_id", "no category has this id"))
        if group.product_id and group.product_id not in live:
            errors.append(RowError(group.rows[0], "product_id", "no product has this id"))
        for row, item in zip(group.rows, group.body.get("skus") or [], strict=False):
            if item.get("id") and sku_owner.get(item["id"]) != group.product_id:
                errors.append(RowError(row, "sku_id", "not a SKU of this row's product"))
        try:
            specs = group.body.get("specs") or []
            sku_service.check_specs(specs)
            sku_service.check_skus(specs, group.body.get("skus") or [])
        except APIException as error:
            errors.append(row_error(group, error.msg, "specs"))
    return errors


def import_products(groups: list[ProductRows], errors: list[RowError]) -> dict:
    """Create or update every product in one transaction, or nothing: ImportRowsInvalid lists
    every row error (those found by the forms, `errors`, and those found here)."""
    errors = [*errors, *_check([g for g in groups if not _has_errors(g, errors)])]
    created, updated = [], []
    if not errors:
        with deferred_commits():
            for group in groups:
                try:
                    if group.product_id is None:
                        product = product_service.create_product(group.body)
                        created.append({"row": group.rows[0], "id": product.id})
                    else:
                        product_service.update_product(group.product_id, group.body)
                        updated.append({"row": group.rows[0], "id": group.product_id})
                except APIException as error:
                    errors.append(row_error(group, error.msg))
                    break
    if errors:
        db.session.rollback()
        errors.sort(key=lambda e: (e.row, e.field))
        raise ImportRowsInvalid(
            f"{len(errors)} error(s), first on row {errors[0].row}; nothing was imported",
            detail={"errors": [error.as_dict() for error in errors]},
        )
    commit()
    return {"created": created, "updated": updated}


def _has_errors(group: ProductRows, errors: list[RowError]) -> bool:
    rows = set(group.rows)
    return any(error.row in rows for error in errors)
