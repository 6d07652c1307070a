"""Form of the order export (GET /v2/order/export)."""

from app.core.forms import EnumField
from app.services.order_export import FORMATS
from app.validators.order import AdminOrderFilterForm


class OrderExportForm(AdminOrderFilterForm):
    """The admin order search's filters plus the file format."""

    format = EnumField(choices=FORMATS, default="csv", description="csv (default) or xlsx")
