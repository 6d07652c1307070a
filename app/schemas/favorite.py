"""Favourite and footprint shapes: a kept or opened product with its live data, flagged when
it cannot be bought (`invalid`, with `invalid_reason` deleted / off_sale)."""

from app import models
from app.schemas.base import Bool, Computed, FieldGroup, Int, List, Money, Nested, Shape, Str, Time
from app.schemas.product import live_main_image


def _product(read, default=None):
    return lambda row: read(row.product) if row.product is not None else default


class LiveProduct(FieldGroup):
    """The kept or opened product as it is now."""

    name = Computed(_product(lambda p: p.name, ""), Str())
    main_image = Computed(live_main_image, Str())
    price = Computed(_product(lambda p: p.price), Money())
    stock = Computed(_product(lambda p: p.stock, 0), Int())
    invalid = Computed(lambda row: row.invalid_reason is not None, Bool())
    invalid_reason = Str(allow_none=True)


class FavoriteItem(LiveProduct, Shape):
    """A product the caller keeps, with its live name, image, price and stock."""

    model = models.Favorite
    answers = "id product_id name main_image price stock invalid invalid_reason create_time"


class FavoriteRemoved(Shape):
    """The product no longer kept."""

    product_id = Int()


class FootprintItem(LiveProduct, Shape):
    """A product the caller opened; `view_time` is the last time that day."""

    model = models.Footprint
    answers = "id product_id name main_image price invalid invalid_reason view_time"
    view_time = Time(attribute="update_time")


class FootprintDay(Shape):
    """The footprints of one local day ("2026-12-02"), the latest first."""

    date = Str()
    items = List(Nested(FootprintItem))
