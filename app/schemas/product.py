"""Product shapes: the customer summary and detail, and the admin views."""

from app import models
from app.models.catalog import image_url
from app.models.review import good_rate
from app.schemas.base import (
    ADMIN,
    Computed,
    FieldGroup,
    ImageUrl,
    Int,
    List,
    Nested,
    Shape,
    Str,
)
from app.schemas.sku import AdminSku, ProductSpec, Sku


def live_main_image(row) -> str:
    """The main image of a row's product ("" when the product or its image is gone)."""
    product = row.product
    image = product.main_img if product is not None else None
    return image_url(image if image is not None and image.delete_time is None else None)


def _image_urls(product) -> list[str]:
    return [item.img.absolute_url for item in product.live_images()]


class ProductSummary(Shape):
    """A product in a list."""

    model = models.Product
    answers = "id name price stock category_id main_image summary"
    main_image = ImageUrl(attribute="main_img")


class ProductProperty(Shape):
    """A named property of a product ("origin": "Yunnan")."""

    model = models.ProductProperty
    answers = "id name detail"


class ProductImageItem(Shape):
    """A detail image of a product at its position."""

    model = models.ProductImage
    answers = "img_id order url"
    url = ImageUrl(attribute="img")


class ProductMedia(FieldGroup):
    """A product's detail images (as URLs, and as items at their positions) and its
    specifications."""

    images = Computed(_image_urls, List(Str()))
    image_items = Computed(lambda p: p.live_images(), List(Nested(ProductImageItem)))
    specs = List(Nested(ProductSpec))


class ProductDetail(ProductMedia, ProductSummary):
    """A product with its detail images (in order), properties, specifications and SKUs,
    its units sold and its visible reviews' count and good rate (the share of 4 and 5 star
    reviews in whole percent, rounded down; null without reviews).

    `price` is the lowest on-sale SKU price and `stock` the sum of the on-sale SKUs' stock."""

    answers = "images properties specs skus sales review_count good_rate"
    properties = List(Nested(ProductProperty))
    skus = List(Nested(Sku))
    review_count = Int()
    good_rate = Computed(
        lambda p: good_rate(p.good_review_count, p.review_count), Int(allow_none=True)
    )


class ProductImages(ProductMedia, Shape):
    """A product's detail images in order (what image edits answer)."""

    answers = "image_items"


class AdminProductProperty(ProductProperty):
    """A product property with its position."""

    answers = "order"


class AdminProductSummary(ProductSummary):
    """A product in an admin list (off-sale ones included)."""

    audience = ADMIN
    answers = "on_sale main_img_id create_time update_time"


class AdminProductDetail(ProductMedia, AdminProductSummary):
    """A product with its detail images, properties, the ids of the themes holding it, its
    specifications and its SKUs."""

    answers = "images image_items properties theme_ids specs skus"
    properties = List(Nested(AdminProductProperty))
    theme_ids = Computed(lambda p: [theme.id for theme in p.themes], List(Int()))
    skus = List(Nested(AdminSku))
