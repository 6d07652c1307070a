"""Forms of the catalog routes (public reads under /v1, admin writes under /v2)."""

from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    FormListField,
    IdListField,
    IntegerField,
    MoneyField,
    PageForm,
    StringField,
)

# ------------------------------------------------------------------ /v1 reads


class ThemeIdsForm(BaseForm):
    ids = IdListField(required=True, min_count=1, max_count=20, description="theme ids, 1 to 20")


class RecentProductsForm(BaseForm):
    count = IntegerField(min_value=1, max_value=15, default=15)


class ProductsByCategoryForm(PageForm):
    category_id = IntegerField(required=True, min_value=1)


class AllProductsByCategoryForm(BaseForm):
    category_id = IntegerField(required=True, min_value=1)


# ---------------------------------------------------------------- categories


class CategoryQueryForm(PageForm):
    keyword = StringField(max_length=50, description="name contains")


class CategoryCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=50)
    description = StringField(max_length=255, default="")
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


class ProductCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=80)
    price = MoneyField(required=True)
    stock = IntegerField(min_value=0, max_value=100000000, default=0)
    category_id = IntegerField(min_value=1, nullable=True)
    main_img_id = IntegerField(min_value=1, nullable=True)
    summary = StringField(max_length=255, default="")
    on_sale = BooleanField(default=True)
    img_ids = IdListField(max_count=50, default=list, description="detail images in order")
    properties = FormListField(PropertyItemForm, max_count=50, default=list)


ProductUpdateForm = ProductCreateForm.partial(
    exclude=("img_ids", "properties"),
    stock={"description": "absolute value"},
    category_id={"description": "null clears"},
    main_img_id={"description": "null clears"},
)


class ImageReorderForm(BaseForm):
    src_order = IntegerField(required=True, min_value=1)
    dest_order = IntegerField(required=True, min_value=1)


class ProductImageAddForm(BaseForm):
    img_id = IntegerField(required=True, min_value=1)
    order = IntegerField(min_value=1, description="position; default after the last")


class ProductImagesForm(BaseForm):
    img_ids = IdListField(required=True, max_count=50)


class PropertyCreateForm(BaseForm):
    name = StringField(max_length=30, default="")
    detail = StringField(required=True, min_length=1, max_length=255)
    order = IntegerField(min_value=0, description="default after the last")


PropertyUpdateForm = PropertyCreateForm.partial(order={"description": ""})


# -------------------------------------------------------------------- themes


class ThemeCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=50)
    description = StringField(max_length=255, default="")
    topic_img_id = IntegerField(min_value=1, nullable=True)
    head_img_id = IntegerField(min_value=1, nullable=True)
    product_ids = IdListField(max_count=200, default=list)


ThemeUpdateForm = ThemeCreateForm.partial(exclude=("product_ids",))


class ThemeProductsForm(BaseForm):
    product_ids = IdListField(required=True, max_count=200)


class ThemeProductForm(BaseForm):
    product_id = IntegerField(required=True, min_value=1)


# ------------------------------------------------------------------- banners


class BannerCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=50)
    description = StringField(max_length=255, default="")


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
