"""Forms of the admin outbox routes (/v2/outbox)."""

from app.core.forms import EnumField, IntegerField, PageForm
from app.models.outbox import KINDS, STATES


class OutboxListForm(PageForm):
    state = EnumField(choices=STATES, description="pending, sending, sent, skipped or dead")
    kind = EnumField(choices=KINDS, description="shipping (upload) or message (subscription)")
    order_id = IntegerField(min_value=1)
