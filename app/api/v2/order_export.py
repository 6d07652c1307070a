"""Admin order export: the order search's lines as a CSV or XLSX file."""

from flask import Blueprint, Response, stream_with_context

from app.core.auth import permission
from app.core.docs import doc
from app.models.base import now
from app.services import order_export
from app.validators.order_export import OrderExportForm

bp = Blueprint("order_export", __name__, url_prefix="/order")

MODULE = "数据导入导出"

EXPORT_RESPONSES = {
    "200": {
        "description": "The file (an attachment): one row per order line, streamed",
        "schema": {"type": "file"},
    },
    "default": {"description": "Error", "schema": {"$ref": "#/definitions/Error"}},
}


@bp.get("/export")
@permission("导出订单", MODULE)
@doc(
    "Export the lines of the orders found as CSV or XLSX",
    query=OrderExportForm,
    responses=EXPORT_RESPONSES,
)
def export_orders():
    """Stream one row per order line of the orders the search filters find."""
    form = OrderExportForm().validate_or_raise()
    file_format = form.format.data
    chunks = order_export.export_chunks(file_format, **form.filters())
    response = Response(stream_with_context(chunks), mimetype=order_export.MIME_TYPES[file_format])
    name = order_export.file_name(file_format, now())
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
