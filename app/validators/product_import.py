"""The rows of a product import file as the bodies of POST/PUT /v2/product, validated with those
routes' forms (app/services/product_import.py describes the layout)."""

from app.core.forms import BaseForm, IntegerField
from app.services.product_import import ProductRows, RowError, row_error
from app.validators.catalog import ProductCreateForm, ProductUpdateForm, SkuItemForm

PRODUCT_FIELDS = ("name", "category_id", "summary", "on_sale")
SKU_FIELDS = {"sku_id": "id", "price": "price", "stock": "stock", "code": "code"}


class _RowKeyForm(BaseForm):
    product_id = IntegerField(min_value=1)


def _specs(text) -> dict | str:
    """ "颜色:红;尺码:M" as {"颜色": "红", "尺码": "M"}, or a message."""
    combination = {}
    for part in str(text).split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        if not sep or not name.strip() or not value.strip():
            return "write name:value pairs separated by ';', e.g. 颜色:红;尺码:M"
        if name.strip() in combination:
            return f"{name.strip()!r} is given twice"
        combination[name.strip()] = value.strip()
    return combination


def _form_errors(form: BaseForm, row: int, rename=None) -> list[RowError]:
    rename = rename or {}
    return [
        RowError(row, rename.get(name, name), messages[0]) for name, messages in form.errors.items()
    ]


def _group(rows: list[tuple[int, dict]], errors: list[RowError]) -> list[ProductRows]:
    groups, seen, current, key_of = [], {}, None, None
    for number, cells in rows:
        key_form = _RowKeyForm(cells)
        if not key_form.validate():
            errors.extend(_form_errors(key_form, number))
            continue
        product_id = key_form.product_id.data
        key = ("id", product_id) if product_id else ("name", cells.get("name"))
        if key == ("name", None):
            errors.append(RowError(number, "name", "required for a new product (no product_id)"))
            continue
        if current is None or key != key_of:
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        key[0] if key[0] == "name" else "product_id",
                        f"this product's rows start on row {seen[key]}; keep them together",
                    )
                )
                current = None
                continue
            current, key_of = ProductRows(rows=[], product_id=product_id), key
            seen[key] = number
            groups.append(current)
            first = {**cells}
            if isinstance(first.get("on_sale"), int) and not isinstance(first["on_sale"], bool):
                first["on_sale"] = str(first["on_sale"])
            if isinstance(first.get("name"), int | float):
                first["name"] = str(first["name"])
            current.body = {name: first[name] for name in PRODUCT_FIELDS if name in first}
            current.body["skus"] = []
        else:
            for name in PRODUCT_FIELDS:
                if name in cells and cells[name] != current.body.get(name):
                    errors.append(
                        RowError(number, name, f"differs from the product's first row {seen[key]}")
                    )
        current.rows.append(number)
        current.body["skus"].append(cells)
    return groups


def _sku_item(number: int, cells: dict, errors: list[RowError]) -> dict | None:
    item = {target: cells[name] for name, target in SKU_FIELDS.items() if name in cells}
    if isinstance(item.get("price"), int | float):
        item["price"] = str(item["price"])
    combination = _specs(cells.get("specs", ""))
    if isinstance(combination, str):
        errors.append(RowError(number, "specs", combination))
        return None
    item["specs"] = combination
    form = SkuItemForm(item)
    if not form.validate():
        errors.extend(_form_errors(form, number, {"id": "sku_id"}))
        return None
    return form.present()


def _specs_of(items: list[dict]) -> list[dict]:
    """The product's specifications: names in the order the rows give them, values in the
    order they first appear."""
    specs: dict[str, list] = {}
    for item in items:
        for name, value in item["specs"].items():
            values = specs.setdefault(name, [])
            if value not in values:
                values.append(value)
    return [{"name": name, "values": values} for name, values in specs.items()]


def product_import_bodies(rows: list[tuple[int, dict]]) -> tuple[list[ProductRows], list]:
    """The products of the file with their validated bodies, and every row error found."""
    errors: list[RowError] = []
    groups = _group(rows, errors)
    valid = []
    for group in groups:
        before = len(errors)
        items = [
            _sku_item(n, cells, errors)
            for n, cells in zip(group.rows, group.body["skus"], strict=True)
        ]
        if len(errors) > before:
            continue
        body = {**group.body, "specs": _specs_of(items), "skus": items}
        for item in items:
            item.setdefault("stock", 0)
        if "price" in body:
            del body["price"]
        form_class = ProductCreateForm if group.product_id is None else ProductUpdateForm
        form = form_class(body)
        if not form.validate():
            for name, messages in form.errors.items():
                errors.append(row_error(group, f"{name}: {messages[0]}"))
            continue
        group.body = form.data if group.product_id is None else form.present()
        valid.append(group)
    return valid, errors
