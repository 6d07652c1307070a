"""Admin product routes: products, their detail images and their properties."""

from flask import Blueprint

from app.core.auth import permission
from app.core.docs import doc, path_ids
from app.core.exceptions import (
    CategoryNotFound,
    Duplicated,
    ImageNotFound,
    ImageReorderError,
    ProductImageNotFound,
    ProductNotFound,
    ProductPropertyNotFound,
)
from app.schemas.base import Page
from app.schemas.common import Id
from app.schemas.product import (
    AdminProductDetail,
    AdminProductProperty,
    AdminProductSummary,
    ProductImages,
)
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

MODULE = "商品"


@bp.get("/list")
@permission("查询商品", MODULE)
@doc("List products (off-sale included)", query=ProductQueryForm, data=Page(AdminProductSummary))
def list_products():
    """List products, newest id first, with optional filters."""
    form = ProductQueryForm().validate_or_raise()
    return catalog.admin_product_page(
        form,
        category_id=form.category_id.data,
        keyword=form.keyword.data,
        on_sale=form.on_sale.data,
    )


@bp.get("/<int:id>")
@permission("查询商品", MODULE)
@doc("Get a product", data=AdminProductDetail, path=path_ids("id"), errors=[ProductNotFound])
def get_product(id):
    """Get a product with its images, properties and themes."""
    return catalog.admin_product(id)


@bp.post("")
@permission("新增商品", MODULE)
@doc(
    "Create a product",
    body=ProductCreateForm,
    data=AdminProductDetail,
    status=201,
    errors=[CategoryNotFound, ImageNotFound],
)
def create_product():
    """Create a product with its detail images and properties."""
    form = ProductCreateForm().validate_or_raise()
    return catalog.create_product(form.data)


@bp.put("/<int:id>")
@permission("更新商品", MODULE)
@doc(
    "Update a product",
    body=ProductUpdateForm,
    data=AdminProductDetail,
    status=201,
    path=path_ids("id"),
    errors=[ProductNotFound, CategoryNotFound, ImageNotFound],
)
def update_product(id):
    """Update the fields sent (stock is set to the absolute value given)."""
    form = ProductUpdateForm().validate_or_raise()
    return catalog.update_product(id, form.present())


@bp.delete("/<int:id>")
@permission("删除商品", MODULE)
@doc("Delete a product", data=Id, status=202, path=path_ids("id"), errors=[ProductNotFound])
def delete_product(id):
    """Soft-delete a product."""
    catalog.delete_product(id)
    return {"id": id}


@bp.put("/<int:id>/reorder")
@permission("排序商品图片", MODULE)
@doc(
    "Move a detail image to another position",
    body=ImageReorderForm,
    data=ProductImages,
    status=201,
    path=path_ids("id"),
    errors=[ProductNotFound, ImageReorderError],
)
def reorder_product_images(id):
    """Move the image at src_order to dest_order."""
    form = ImageReorderForm().validate_or_raise()
    return catalog.reorder_product_images(id, form.src_order.data, form.dest_order.data)


@bp.post("/<int:id>/image")
@permission("管理商品图片", MODULE)
@doc(
    "Attach a detail image",
    body=ProductImageAddForm,
    data=ProductImages,
    status=201,
    path=path_ids("id"),
    errors=[ProductNotFound, ImageNotFound, Duplicated],
)
def add_product_image(id):
    """Attach an image at a position (default: after the last)."""
    form = ProductImageAddForm().validate_or_raise()
    return catalog.add_product_image(id, form.img_id.data, form.order.data)


@bp.put("/<int:id>/images")
@permission("管理商品图片", MODULE)
@doc(
    "Replace the detail images",
    body=ProductImagesForm,
    data=ProductImages,
    status=201,
    path=path_ids("id"),
    errors=[ProductNotFound, ImageNotFound],
)
def replace_product_images(id):
    """Replace the product's detail images, in the order given."""
    form = ProductImagesForm().validate_or_raise()
    return catalog.replace_product_images(id, form.img_ids.data)


@bp.delete("/<int:id>/image/<int:img_id>")
@permission("管理商品图片", MODULE)
@doc(
    "Detach a detail image",
    data=Id,
    status=202,
    path=path_ids("id", "img_id"),
    errors=[ProductNotFound, ProductImageNotFound],
)
def remove_product_image(id, img_id):
    """Detach an image and renumber the rest."""
    catalog.remove_product_image(id, img_id)
    return {"id": img_id}


@bp.post("/<int:id>/property")
@permission("管理商品属性", MODULE)
@doc(
    "Add a property",
    body=PropertyCreateForm,
    data=AdminProductProperty,
    status=201,
    path=path_ids("id"),
    errors=[ProductNotFound],
)
def create_product_property(id):
    """Add a property (default: after the last)."""
    form = PropertyCreateForm().validate_or_raise()
    return catalog.add_product_property(id, form.detail.data, form.name.data, form.order.data)


@bp.put("/<int:id>/property/<int:property_id>")
@permission("管理商品属性", MODULE)
@doc(
    "Update a property",
    body=PropertyUpdateForm,
    data=AdminProductProperty,
    status=201,
    path=path_ids("id", "property_id"),
    errors=[ProductNotFound, ProductPropertyNotFound],
)
def update_product_property(id, property_id):
    """Update the fields sent."""
    form = PropertyUpdateForm().validate_or_raise()
    return catalog.update_product_property(id, property_id, form.present())


@bp.delete("/<int:id>/property/<int:property_id>")
@permission("管理商品属性", MODULE)
@doc(
    "Delete a property",
    data=Id,
    status=202,
    path=path_ids("id", "property_id"),
    errors=[ProductNotFound, ProductPropertyNotFound],
)
def delete_product_property(id, property_id):
    """Delete a property."""
    catalog.delete_product_property(id, property_id)
    return {"id": property_id}
