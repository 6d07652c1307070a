"""Forms of the favourite routes (/v1/favorite)."""

from app.core.forms import BaseForm, IdListField, IntegerField


class FavoriteAddForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)


class FavoriteCheckForm(BaseForm):
    product_ids = IdListField(
        required=True, min_count=1, max_count=100, description="comma-separated product ids"
    )
