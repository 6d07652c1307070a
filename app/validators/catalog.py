"""Forms of the catalog routes (public reads under /v1, admin writes under /v2)."""

from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    FormListField,
    IdListField,
    IntegerField,
    JSONField,
    MoneyField,
    PageForm,
    StringField,
)
from app.models.catalog import SKU_MAX, SPEC_MAX, SPEC_VALUES_MAX, STOCK_MAX

# A spec name or value: no ":" or ";", which separate the spec text "颜色:红;尺码:M".
SPEC_WORD_MAX = 20
SPEC_WORD_PATTERN = "[^:;]+"
SPEC_WORD_MESSAGE = f'Must be 1 to {SPEC_WORD_MAX} characters without ":" or ";".'


def _spec_word(value) -> str:
    if not isinstance(value, str):
        raise ValueError(SPEC_WORD_MESSAGE)
    value = value.strip()
    if not 1 <= len(value) <= SPEC_WORD_MAX or ":" in value or ";" in value:
        raise ValueError(SPEC_WORD_MESSAGE)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(SPEC_WORD_MESSAGE) from None
    return value


class SpecValuesField(JSONField):
    """The ordered values of a specification: 1 to SPEC_VALUES_MAX words."""

    json_type = "array"

    def convert(self, value):
        if not isinstance(value, list) or not 1 <= len(value) <= SPEC_VALUES_MAX:
            raise ValueError(f"Must be a list of 1 to {SPEC_VALUES_MAX} values.")
        return [_spec_word(item) for item in value]

    def schema(self):
        items = {
            "type": "string",
            "minLength": 1,
            "maxLength": SPEC_WORD_MAX,
            "pattern": f"^{SPEC_WORD_PATTERN}$",
        }
        return {**super().schema(), "items": items, "minItems": 1, "maxItems": SPEC_VALUES_MAX}


class SpecChoiceField(JSONField):
    """A SKU's combination: {spec name: one of its values} ({} without specifications)."""

    json_type = "object"

    def convert(self, value):
        if not isinstance(value, dict) or len(value) > SPEC_MAX:
            raise ValueError(f"Must be an object of at most {SPEC_MAX} spec name: value pairs.")
        return {_spec_word(name): _spec_word(item) for name, item in value.items()}

    def schema(self):
        return {
            **super().schema(),
            "additionalProperties": {"type": "string"},
            "description": 'spec name: value, e.g. {"颜色": "红", "尺码": "M"}',
        }


# ------------------------------------------------------------------ /v1 reads


class ThemeIdsForm(BaseForm):
    ids = IdListField(required=True, min_count=1, max_count=20, description="theme ids, 1 to 20")


class RecentProductsForm(BaseForm):
    count = IntegerField(min_value=1, max_value=15, default=15)


class ProductsByCategoryForm(PageForm):
    category_id = IntegerField(required=True, min_value=1)


class AllProductsByCategoryForm(BaseForm):
    category_id = IntegerField(required=True, min_value=1)


class _NamedForm(BaseForm):
    """The name and description a category, a theme and a banner are created with."""

    name = StringField(required=True, min_length=1, max_length=50)
    description = StringField(max_length=255, default="")


# ---------------------------------------------------------------- categories


class CategoryQueryForm(PageForm):
    keyword = StringField(max_length=50, description="name contains")


class CategoryCreateForm(_NamedForm):
    topic_img_id = IntegerField(min_value=1, nullable=True)


CategoryUpdateForm = CategoryCreateForm.partial(topic_img_id={"description": "null clears"})


# ------------------------------------------------------------------ products


class ProductQueryForm(PageForm):
    category_id = IntegerField(min_value=1)
    keyword = StringField(max_length=80, description="name contains")
    on_sale = BooleanField()


class PropertyItemForm(BaseForm):
    name = StringField(max_length=30, default="")
    detail = StringField(required=True, min_length=1, max_length=255)


class SpecItemForm(BaseForm):
    name = StringField(
        required=True,
        min_length=1,
        max_length=SPEC_WORD_MAX,
        pattern=SPEC_WORD_PATTERN,
        pattern_message=SPEC_WORD_MESSAGE,
    )
    values = SpecValuesField(required=True)


class SkuItemForm(BaseForm):
    id = IntegerField(min_value=1, description="an existing SKU of the product to update")
    specs = SpecChoiceField(default=dict)
    price = MoneyField(required=True)
    stock = IntegerField(min_value=0, max_value=STOCK_MAX, default=0)
    img_id = IntegerField(min_value=1, nullable=True)
    code = StringField(max_length=64, default="")
    on_sale = BooleanField(default=True)


SPECS_FIELD = dict(max_count=SPEC_MAX, description="specifications in order; replaces them")
SKUS_FIELD = dict(
    min_count=1,
    max_count=SKU_MAX,
    description="every SKU of the product (one value of every spec each); price and stock "
    "of the product then follow them",
)


class ProductCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=80)
    price = MoneyField(description="required without skus; with skus it is derived")
    stock = IntegerField(min_value=0, max_value=STOCK_MAX, description="without skus only")
    category_id = IntegerField(min_value=1, nullable=True)
    main_img_id = IntegerField(min_value=1, nullable=True)
    summary = StringField(max_length=255, default="")
    on_sale = BooleanField(default=True)
    img_ids = IdListField(max_count=50, default=list, description="detail images in order")
    properties = FormListField(PropertyItemForm, max_count=50, default=list)
    specs = FormListField(SpecItemForm, **SPECS_FIELD)
    skus = FormListField(SkuItemForm, **SKUS_FIELD)


ProductUpdateForm = ProductCreateForm.partial(
    exclude=("img_ids", "properties"),
    price={"description": "of a product with one SKU only"},
    stock={"description": "absolute value; one SKU only"},
    category_id={"description": "null clears"},
    main_img_id={"description": "null clears"},
)


class SkuStockForm(BaseForm):
    stock = IntegerField(min_value=0, max_value=STOCK_MAX, description="the new stock")
    delta = IntegerField(
        min_value=-STOCK_MAX, max_value=STOCK_MAX, description="units to add (negative: take)"
    )


class LowStockForm(PageForm):
    threshold = IntegerField(
        min_value=0, max_value=STOCK_MAX, description="default SKU_LOW_STOCK_THRESHOLD"
    )


class ImageReorderForm(BaseForm):
    src_order = IntegerField(required=True, min_value=1)
    dest_order = IntegerField(required=True, min_value=1)


class ProductImageAddForm(BaseForm):
    img_id = IntegerField(required=True, min_value=1)
    order = IntegerField(min_value=1, description="position; default after the last")


class ProductImagesForm(BaseForm):
    img_ids = IdListField(required=True, max_count=50)


class PropertyCreateForm(PropertyItemForm):
    order = IntegerField(min_value=0, description="default after the last")


PropertyUpdateForm = PropertyCreateForm.partial(order={"description": ""})


# -------------------------------------------------------------------- themes


class ThemeCreateForm(_NamedForm):
    topic_img_id = IntegerField(min_value=1, nullable=True)
    head_img_id = IntegerField(min_value=1, nullable=True)
    product_ids = IdListField(max_count=200, default=list)


ThemeUpdateForm = ThemeCreateForm.partial(exclude=("product_ids",))


class ThemeProductsForm(BaseForm):
    product_ids = IdListField(required=True, max_count=200)


class ThemeProductForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)


# ------------------------------------------------------------------- banners


class BannerCreateForm(_NamedForm):
    """A banner is only its name and description; its items are rows of their own."""


BannerUpdateForm = BannerCreateForm.partial()


class BannerItemCreateForm(BaseForm):
    banner_id = IntegerField(required=True, min_value=1)
    img_id = IntegerField(required=True, min_value=1)
    type = EnumField(choices=(0, 1, 2), default=1, description="0 no link, 1 product, 2 theme")
    key_word = StringField(max_length=100, default="", description="target id as text")
    order = IntegerField(min_value=0, description="default after the last")


BannerItemUpdateForm = BannerItemCreateForm.partial(
    type={"description": ""}, key_word={"description": ""}, order={"description": ""}
)
