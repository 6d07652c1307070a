"""Favourite and footprint shapes: a kept or opened product with its live data, flagged when
it cannot be bought (`invalid`, with `invalid_reason` deleted / off_sale)."""

from app import models
from app.models.catalog import image_url
from app.schemas.base import Bool, Computed, Int, List, Money, Nested, Shape, Str, Time


def _live_image(row) -> str:
    product = row.product
    image = product.main_img if product is not None else None
    return image_url(image if image is not None and image.delete_time is None else None)


def _product(read, default=None):
    return lambda row: read(row.product) if row.product is not None else default


class FavoriteItem(Shape):
    """A product the caller keeps, with its live name, image, price and stock."""

    model = models.Favorite
    answers = "id product_id name main_image price stock invalid invalid_reason create_time"
    name = Computed(_product(lambda p: p.name, ""), Str())
    main_image = Computed(_live_image, Str())
    price = Computed(_product(lambda p: p.price), Money())
    stock = Computed(_product(lambda p: p.stock, 0), Int())
    invalid = Computed(lambda row: row.invalid_reason is not None, Bool())
    invalid_reason = Str(allow_none=True)


class FavoriteRemoved(Shape):
    """The product no longer kept."""

    product_id = Int()


class FootprintItem(Shape):
    """A product the caller opened; `view_time` is the last time that day."""

    model = models.Footprint
    answers = "id product_id name main_image price invalid invalid_reason view_time"
    name = Computed(_product(lambda p: p.name, ""), Str())
    main_image = Computed(_live_image, Str())
    price = Computed(_product(lambda p: p.price), Money())
    invalid = Computed(lambda row: row.invalid_reason is not None, Bool())
    invalid_reason = Str(allow_none=True)
    view_time = Time(attribute="update_time")


class FootprintDay(Shape):
    """The footprints of one local day ("2026-12-02"), the latest first."""

    date = Str()
    items = List(Nested(FootprintItem))
