"""Forms of the review routes (/v1/review, /v1/product/{id}/reviews, /v2/review)."""

import re

from app.core.forms import (
    BaseForm,
    BooleanField,
    IntegerField,
    JSONField,
    PageForm,
    StringField,
    UnixTimeField,
)
from app.models.review import CONTENT_MAX, IMAGES_MAX, RATING_MAX, RATING_MIN
from app.services.uploads import IMAGE_KEY_PATTERN

# Plain text: any character but the control ones (tab and line breaks are text).
PLAIN_TEXT = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*"
PLAIN_TEXT_MESSAGE = "Must be plain text (no control characters)."


class ImageKeyListField(JSONField):
    """A JSON array of storage keys of uploaded images, order kept, no repeats."""

    json_type = "array"
    _key = re.compile(IMAGE_KEY_PATTERN)

    def __init__(self, label=None, validators=None, *, max_count=IMAGES_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_count = max_count

    def convert(self, value):
        if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
            raise ValueError("Must be a list of image keys.")
        if len(value) > self.max_count:
            raise ValueError(f"Must hold at most {self.max_count} images.")
        if len(set(value)) != len(value):
            raise ValueError("Must not repeat an image.")
        if not all(self._key.fullmatch(key) for key in value):
            raise ValueError("Must be keys answered by POST /v1/review/image.")
        return list(value)

    def schema(self):
        items = {"type": "string", "pattern": f"^{IMAGE_KEY_PATTERN}$"}
        return {**super().schema(), "items": items, "maxItems": self.max_count}


def plain_text_field(max_length: int, **kwargs) -> StringField:
    """Text a customer writes (a review, an after-sale reason): no control characters."""
    return StringField(
        max_length=max_length, pattern=PLAIN_TEXT, pattern_message=PLAIN_TEXT_MESSAGE, **kwargs
    )


class ReviewCreateForm(BaseForm):
    line_id = IntegerField(
        required=True, min_value=1, description="an order line from GET /v1/review/pending"
    )
    rating = IntegerField(required=True, min_value=RATING_MIN, max_value=RATING_MAX)
    content = plain_text_field(
        CONTENT_MAX, default="", description="plain text (trimmed); may be empty"
    )
    images = ImageKeyListField(default=list, description="keys from POST /v1/review/image")
    anonymous = BooleanField(default=False, description="sign with a masked nickname")


class ProductReviewsForm(PageForm):
    has_image = BooleanField(
        description="true: only reviews with images; false: only those without; absent: all"
    )


class ReviewReplyForm(BaseForm):
    content = plain_text_field(CONTENT_MAX, required=True, min_length=1)


class AdminReviewListForm(PageForm):
    product_id = IntegerField(min_value=1)
    user_id = IntegerField(min_value=1)
    rating = IntegerField(min_value=RATING_MIN, max_value=RATING_MAX)
    visible = BooleanField()
    has_image = BooleanField()
    replied = BooleanField(description="true: with the shop's reply; false: without")
    keyword = StringField(max_length=50, description="the review text contains it")
    start = UnixTimeField(description="created at or after (Unix seconds)")
    end = UnixTimeField(description="created at or before (Unix seconds)")
