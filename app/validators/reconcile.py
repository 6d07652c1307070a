"""Forms of the reconciliation report routes (/v2/pay/reconcile)."""

from datetime import date

from app.core.forms import EnumField, PageForm, StringField
from app.models.reconcile import CATEGORIES, PAYMENT, REFUND


class DateField(StringField):
    """A calendar day written YYYY-MM-DD."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", "a day, YYYY-MM-DD")
        super().__init__(
            label,
            validators,
            max_length=10,
            pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
            pattern_message="Must be a date written YYYY-MM-DD.",
            **kwargs,
        )

    def convert(self, value):
        text = super().convert(value)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("Must be a date written YYYY-MM-DD.") from None


class ReconcileListForm(PageForm):
    bill_date = DateField(description="only the report of this day, YYYY-MM-DD")


class ReconcileItemsForm(PageForm):
    category = EnumField(choices=CATEGORIES, description="only the rows of this outcome")
    kind = EnumField(choices=(PAYMENT, REFUND), description="only payments or only refunds")
