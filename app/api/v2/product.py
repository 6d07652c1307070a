"""Admin product routes: products, their detail images and their properties."""

from flask import Blueprint

from app.api.resource import Resource
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
IMAGES = "管理商品图片"
PROPERTIES = "管理商品属性"
PROPERTY = "/<int:id>/property/<int:property_id>"


def _page(form):
    return catalog.admin_product_page(
        form,
        category_id=form.category_id.data,
        keyword=form.keyword.data,
        on_sale=form.on_sale.data,
    )


products = Resource(bp, MODULE, shape=AdminProductDetail, missing=[ProductNotFound])
products.list(
    "list_products",
    "查询商品",
    "List products (off-sale included)",
    "List products, newest id first, with optional filters.",
    _page,
    form=ProductQueryForm,
    data=Page(AdminProductSummary),
)
products.get(
    "get_product",
    "查询商品",
    "Get a product",
    "Get a product with its images, properties and themes.",
    catalog.admin_product,
)
products.create(
    "create_product",
    "新增商品",
    "Create a product",
    "Create a product with its detail images and properties.",
    ProductCreateForm,
    catalog.create_product,
    errors=[CategoryNotFound, ImageNotFound],
)
products.update(
    "update_product",
    "更新商品",
    "Update a product",
    "Update the fields sent (stock is set to the absolute value given).",
    ProductUpdateForm,
    catalog.update_product,
    errors=[ProductNotFound, CategoryNotFound, ImageNotFound],
)
products.delete(
    "delete_product",
    "删除商品",
    "Delete a product",
    "Soft-delete a product.",
    catalog.delete_product,
)
products.view(
    "PUT",
    "/<int:id>/reorder",
    "reorder_product_images",
    "排序商品图片",
    "Move a detail image to another position",
    "Move the image at src_order to dest_order.",
    lambda id, form: catalog.reorder_product_images(id, form.src_order.data, form.dest_order.data),
    body=ImageReorderForm,
    data=ProductImages,
    errors=[ProductNotFound, ImageReorderError],
)
products.view(
    "POST",
    "/<int:id>/image",
    "add_product_image",
    IMAGES,
    "Attach a detail image",
    "Attach an image at a position (default: after the last).",
    lambda id, form: catalog.add_product_image(id, form.img_id.data, form.order.data),
    body=ProductImageAddForm,
    data=ProductImages,
    errors=[ProductNotFound, ImageNotFound, Duplicated],
)
products.view(
    "PUT",
    "/<int:id>/images",
    "replace_product_images",
    IMAGES,
    "Replace the detail images",
    "Replace the product's detail images, in the order given.",
    lambda id, form: catalog.replace_product_images(id, form.img_ids.data),
    body=ProductImagesForm,
    data=ProductImages,
    errors=[ProductNotFound, ImageNotFound],
)
products.delete(
    "remove_product_image",
    IMAGES,
    "Detach a detail image",
    "Detach an image and renumber the rest.",
    catalog.remove_product_image,
    rule="/<int:id>/image/<int:img_id>",
    errors=[ProductNotFound, ProductImageNotFound],
)
products.view(
    "POST",
    "/<int:id>/property",
    "create_product_property",
    PROPERTIES,
    "Add a property",
    "Add a property (default: after the last).",
    lambda id, form: catalog.add_product_property(
        id, form.detail.data, form.name.data, form.order.data
    ),
    body=PropertyCreateForm,
    data=AdminProductProperty,
    errors=[ProductNotFound],
)
products.update(
    "update_product_property",
    PROPERTIES,
    "Update a property",
    "Update the fields sent.",
    PropertyUpdateForm,
    catalog.update_product_property,
    rule=PROPERTY,
    data=AdminProductProperty,
    errors=[ProductNotFound, ProductPropertyNotFound],
)
products.delete(
    "delete_product_property",
    PROPERTIES,
    "Delete a property",
    "Delete a property.",
    catalog.delete_product_property,
    rule=PROPERTY,
    errors=[ProductNotFound, ProductPropertyNotFound],
)
