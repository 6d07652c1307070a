"""Forms of the search routes (/v1/product/search)."""

from decimal import Decimal

from wtforms.validators import ValidationError

from app.core.forms import EnumField, IntegerField, MoneyField, PageForm, StringField
from app.models.search import KEYWORD_MAX

SORTS = ("default", "price", "sales", "new")


class ProductSearchForm(PageForm):
    q = StringField(
        max_length=KEYWORD_MAX,
        default="",
        description=f"name or summary contains it (trimmed, at most {KEYWORD_MAX} characters);"
        " empty: every product",
    )
    category_id = IntegerField(min_value=1)
    min_price = MoneyField(min_value=Decimal("0"))
    max_price = MoneyField(min_value=Decimal("0"))
    sort = EnumField(
        choices=SORTS,
        default="default",
        description="default: name matches first, then newest; price; sales (units sold); new",
    )
    order = EnumField(
        choices=("asc", "desc"),
        description="direction of price, sales and new; default: price asc, sales and new desc",
    )

    def validate_max_price(self, field):
        low = self.min_price.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError("Must be at least min_price.")
