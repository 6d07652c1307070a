"""Admin product routes: products, their detail images and their properties."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import (
    BOOL,
    ID,
    INT,
    STR,
    TIME,
    arr,
    doc,
    nullable,
    obj,
    page_of,
    path_ids,
    properties_of,
)
from app.core.response import created, deleted, ok
from app.schemas.product import ProductSummary
from app.schemas.sku import AdminSku, ProductSpec
from app.services import catalog
from app.validators.catalog import (
    ImageReorderForm,
    ProductCreateForm,
    ProductImageAddForm,
    ProductImagesForm,
    ProductQueryForm,
    ProductUpdateForm,
    PropertyCreateForm,
    PropertyUpdateForm,
)

bp = Blueprint("product", __name__, url_prefix="/product")

PRODUCT_SUMMARY_FIELDS = properties_of(ProductSummary)

_SUMMARY = {
    **PRODUCT_SUMMARY_FIELDS,
    "on_sale": BOOL,
    "main_img_id": nullable(INT),
    "create_time": TIME,
    "update_time": TIME,
}
ADMIN_PRODUCT_SUMMARY = obj(list(_SUMMARY), **_SUMMARY)
IMAGE_ITEM = obj(["img_id", "order", "url"], img_id=INT, order=INT, url=STR)
IMAGE_ITEMS = obj(["image_items"], image_items=arr(IMAGE_ITEM))
PROPERTY = obj(["id", "name", "detail", "order"], id=INT, name=STR, detail=STR, order=INT)
_DETAIL = {
    **_SUMMARY,
    "images": arr(STR),
    "image_items": arr(IMAGE_ITEM),
    "properties": arr(PROPERTY),
    "theme_ids": arr(INT),
    "specs": arr(obj(["name", "values"], **properties_of(ProductSpec))),
    "skus": arr(obj(list(properties_of(AdminSku)), **properties_of(AdminSku))),
}
ADMIN_PRODUCT_DETAIL = obj(list(_DETAIL), **_DETAIL)
MODULE = "商品"


@bp.get("/list")
@permission("查询商品", MODULE)
@doc(
    "List products (off-sale included)", query=ProductQueryForm, data=page_of(ADMIN_PRODUCT_SUMMARY)
)
def list_products():
    """List products, newest id first, with optional filters."""
    form = ProductQueryForm().validate_or_raise()
    return ok(
        catalog.admin_product_page(
            form,
            category_id=form.category_id.data,
            keyword=form.keyword.data,
            on_sale=form.on_sale.data,
        )
    )


@bp.get("/<int:id>")
@permission("查询商品", MODULE)
@doc("Get a product", data=ADMIN_PRODUCT_DETAIL, path=path_ids("id"))
def get_product(id):
    """Get a product with its images, properties and themes."""
    return ok(catalog.admin_product(id))


@bp.post("")
@permission("新增商品", MODULE)
@doc("Create a product", body=ProductCreateForm, data=ADMIN_PRODUCT_DETAIL, status=201)
def create_product():
    """Create a product with its detail images and properties."""
    form = ProductCreateForm().validate_or_raise()
    return created(catalog.create_product(form.data))


@bp.put("/<int:id>")
@permission("更新商品", MODULE)
@doc(
    "Update a product",
    body=ProductUpdateForm,
    data=ADMIN_PRODUCT_DETAIL,
    status=201,
    path=path_ids("id"),
)
def update_product(id):
    """Update the fields sent (stock is set to the absolute value given)."""
    form = ProductUpdateForm().validate_or_raise()
    return created(catalog.update_product(id, form.present()))


@bp.delete("/<int:id>")
@permission("删除商品", MODULE)
@doc("Delete a product", data=ID, status=202, path=path_ids("id"))
def delete_product(id):
    """Soft-delete a product."""
    catalog.delete_product(id)
    return deleted({"id": id})


@bp.put("/<int:id>/reorder")
@permission("排序商品图片", MODULE)
@doc(
    "Move a detail image to another position",
    body=ImageReorderForm,
    data=IMAGE_ITEMS,
    status=201,
    path=path_ids("id"),
)
def reorder_product_images(id):
    """Move the image at src_order to dest_order."""
    form = ImageReorderForm().validate_or_raise()
    return created(catalog.reorder_product_images(id, form.src_order.data, form.dest_order.data))


@bp.post("/<int:id>/image")
@permission("管理商品图片", MODULE)
@doc(
    "Attach a detail image",
    body=ProductImageAddForm,
    data=IMAGE_ITEMS,
    status=201,
    path=path_ids("id"),
)
def add_product_image(id):
    """Attach an image at a position (default: after the last)."""
    form = ProductImageAddForm().validate_or_raise()
    return created(catalog.add_product_image(id, form.img_id.data, form.order.data))


@bp.put("/<int:id>/images")
@permission("管理商品图片", MODULE)
@doc(
    "Replace the detail images",
    body=ProductImagesForm,
    data=IMAGE_ITEMS,
    status=201,
    path=path_ids("id"),
)
def replace_product_images(id):
    """Replace the product's detail images, in the order given."""
    form = ProductImagesForm().validate_or_raise()
    return created(catalog.replace_product_images(id, form.img_ids.data))


@bp.delete("/<int:id>/image/<int:img_id>")
@permission("管理商品图片", MODULE)
@doc("Detach a detail image", data=ID, status=202, path=path_ids("id", "img_id"))
def remove_product_image(id, img_id):
    """Detach an image and renumber the rest."""
    catalog.remove_product_image(id, img_id)
    return deleted({"id": img_id})


@bp.post("/<int:id>/property")
@permission("管理商品属性", MODULE)
@doc(
    "Add a property",
    body=PropertyCreateForm,
    data=PROPERTY,
    status=201,
    path=path_ids("id"),
)
def create_product_property(id):
    """Add a property (default: after the last)."""
    form = PropertyCreateForm().validate_or_raise()
    return created(
        catalog.add_product_property(id, form.detail.data, form.name.data, form.order.data)
    )


@bp.put("/<int:id>/property/<int:property_id>")
@permission("管理商品属性", MODULE)
@doc(
    "Update a property",
    body=PropertyUpdateForm,
    data=PROPERTY,
    status=201,
    path=path_ids("id", "property_id"),
)
def update_product_property(id, property_id):
    """Update the fields sent."""
    form = PropertyUpdateForm().validate_or_raise()
    return created(catalog.update_product_property(id, property_id, form.present()))


@bp.delete("/<int:id>/property/<int:property_id>")
@permission("管理商品属性", MODULE)
@doc("Delete a property", data=ID, status=202, path=path_ids("id", "property_id"))
def delete_product_property(id, property_id):
    """Delete a property."""
    catalog.delete_product_property(id, property_id)
    return deleted({"id": property_id})
