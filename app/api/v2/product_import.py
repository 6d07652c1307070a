"""Admin product import: products with their SKUs and stock from an XLSX file, all or nothing."""

from flask import Blueprint, Response, current_app, request

from app.core.auth import permission
from app.core.docs import doc, shape_definitions
from app.core.exceptions import (
    ImportFileInvalid,
    ImportRowsInvalid,
    ImportTooLarge,
)
from app.schemas.product_import import ImportRowError, ProductImportResult
from app.services import product_import
from app.validators.product_import import product_import_bodies

bp = Blueprint("product_import", __name__, url_prefix="/product/import")

MODULE = "数据导入导出"
IMPORT = ("导入商品", MODULE)

TEMPLATE_RESPONSES = {
    "200": {"description": "The XLSX template (an attachment)", "schema": {"type": "file"}},
    "default": {"description": "Error", "schema": {"$ref": "#/definitions/Error"}},
}


def _upload() -> bytes:
    """The bytes of the multipart part `file`, read at most one byte past IMPORT_MAX_BYTES."""
    part = request.files.get("file") if request.mimetype.startswith("multipart/") else None
    if part is None:
        raise ImportFileInvalid()
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = part.stream.read(limit + 1)
    if len(data) > limit:
        raise ImportTooLarge(f"The file is larger than {limit} bytes")
    return data


@bp.post("")
@permission(*IMPORT)
@doc(
    "Import products with their SKUs and stock from an XLSX file",
    data=ProductImportResult,
    status=201,
    consumes=["multipart/form-data"],
    errors=[ImportFileInvalid, ImportTooLarge, ImportRowsInvalid],
)
def import_products():
    """Create or update the file's products in one transaction; any bad row changes nothing
    and the 400 lists every row error in detail.errors ([{row, field, message}])."""
    rows = product_import.read_rows(_upload())
    groups, errors = product_import_bodies(rows)
    return product_import.import_products(groups, errors)


import_products.specs_dict["parameters"].append(
    {
        "name": "file",
        "in": "formData",
        "type": "file",
        "required": True,
        "description": "the XLSX file in the layout of GET /v2/product/import/template",
    }
)
import_products.doc_definitions.update(shape_definitions(ImportRowError))


@bp.get("/template")
@permission(*IMPORT)
@doc("Download the product import template (XLSX)", responses=TEMPLATE_RESPONSES)
def get_import_template():
    """Answer the XLSX template: the columns, example rows and a sheet describing each column."""
    response = Response(product_import.template_bytes(), mimetype=product_import.XLSX_MIME)
    response.headers["Content-Disposition"] = 'attachment; filename="product-import.xlsx"'
    return response
