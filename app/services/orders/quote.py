"""Quotes: what an order of some lines holds and costs, and whether it can be placed now.

One quote serves both `POST /v1/order/preview` (answered as it is, nothing reserved or written)
and `place_order` (placement.py), which writes the order from the quote's lines and amounts and
refuses a quote that cannot be placed. So a placed order equals its preview by construction.

Amounts are computed in one place, `_price`: `goods_amount` sums the orderable lines,
`freight_amount` follows the `shop.freight.*` parameters (free at or above `free_min` of goods),
`coupon_discount` is what the chosen coupon (`user_coupon_id`) takes off (app/services/coupons/
pricing.py), and `total_price` (= `pay_amount`) = goods + freight - discount, at least 0.01. Each
line's `pay_amount` is its total less its largest-remainder share of the discount, so the shares
add up to `pay_amount - freight_amount` exactly (freight belongs to no line). A preview also
offers every coupon the caller holds (usable ones with their discount, the others with why not)
and names the best.

Lines come from a `products` body ({product_id, sku_id?, count}, merged per SKU) or from the
caller's cart lines; either way each line names its product and SKU rows (read with deleted
rows included, so a line can say why it cannot be ordered) and a `problem` or None.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from flask import current_app
from sqlalchemy import Row, bindparam, select

from app.core.exceptions import ParameterException
from app.core.forms import INT_LIMIT, MONEY_MAX
from app.core.urls import stored_image_url
from app.extensions import db
from app.models import Address, CartItem, Image, Product, Sku, UserCoupon
from app.models.base import fen_to_yuan, money_text, now
from app.services import address as address_service
from app.services import cart as cart_service
from app.services import coupons
from app.services.config_params import money_values
from app.services.coupons import pricing

FREIGHT_PRICE_KEY, FREIGHT_FREE_MIN_KEY = "shop.freight.price", "shop.freight.free_min"
FREIGHT_KEYS = (FREIGHT_PRICE_KEY, FREIGHT_FREE_MIN_KEY)
ZERO = Decimal("0.00")

# The most one order can total: its DECIMAL(10,2) column, and the payment and refund rows that
# hold the amount as a 32-bit integer of fen, so 21474836.47 (WeChat Pay's total is fen too).
ORDER_TOTAL_MAX = min(MONEY_MAX, fen_to_yuan(INT_LIMIT))

# Why a line cannot be ordered as it stands (QuoteLine.problem.code), first that applies.
DELETED = "deleted"  # the product is deleted (or there is no such product)
OFF_SALE = "off_sale"  # the product or the SKU is off sale
SKU_REQUIRED = "sku_required"  # the product has several SKUs and the line names none
SKU_MISSING = "sku_missing"  # the SKU is deleted, unknown, or of another product
SHORT_OF_STOCK = "short_of_stock"  # fewer units in stock than the line asks (`available`)

# Why the order cannot be placed (Quote.problem.code).
LINES, NO_ADDRESS, TOTAL_TOO_LARGE = "lines", "no_address", "total_too_large"
COUPON = "coupon"  # the chosen coupon cannot be used (`reason` says why)


@dataclass(frozen=True)
class Problem:
    """Why a line cannot be ordered (`available`: the units left, for short_of_stock), or why
    the order cannot be placed."""

    code: str
    reason: str
    available: int | None = None


@dataclass
class QuoteLine:
    """One line: `count` units of a SKU of a product (either may be None when not found)."""

    product_id: int
    sku_id: int | None
    count: int
    product: "Product | ProductRow | None" = None  # an ORM row (cart lines) or a Core one
    sku: "Sku | SkuRow | None" = None
    cart_item_id: int | None = None
    problem: Problem | None = None
    discount: Decimal = ZERO  # the line's share of the coupon discount
    pay_amount: Decimal | None = None  # total - discount (None for a line that has a problem)

    @property
    def name(self) -> str:
        return self.product.name if self.product is not None else ""

    @property
    def spec(self) -> str:
        return self.sku.spec_text if self.sku is not None else ""

    @property
    def image(self) -> Image | None:
        """The SKU's own image, else the product's main image (None when neither is live)."""
        for owner, name in ((self.sku, "img"), (self.product, "main_img")):
            img = getattr(owner, name, None)
            if img is not None and img.delete_time is None:
                return img
        return None

    @property
    def price(self) -> Decimal | None:
        """The SKU's unit price now (from the database, never from the client)."""
        return self.sku.price if self.sku is not None else None

    @property
    def total(self) -> Decimal | None:
        return self.sku.price * self.count if self.sku is not None else None


@dataclass
class Quote:
    """The lines (in request order, merged per SKU) and the amounts of the orderable ones."""

    lines: list[QuoteLine]
    address: "Address | Row | None"  # the ORM row (preview) or the checkout's Core row
    total_count: int = 0
    goods_amount: Decimal = ZERO
    freight_amount: Decimal = ZERO
    coupon_discount: Decimal = ZERO
    total_price: Decimal = ZERO
    user_coupon: UserCoupon | None = None  # the chosen copy (its offer: `coupon`)
    coupon: pricing.Offer | None = None
    offers: list[pricing.Offer] = field(default_factory=list)  # preview: every held copy
    problem: Problem | None = None

    @property
    def can_place(self) -> bool:
        return self.problem is None

    @property
    def pay_amount(self) -> Decimal:
        return self.total_price

    @property
    def usable_coupons(self) -> list[pricing.Offer]:
        return sorted((each for each in self.offers if each.usable), key=pricing.rank)

    @property
    def unusable_coupons(self) -> list[pricing.Offer]:
        return [each for each in self.offers if not each.usable]

    @property
    def best_coupon(self) -> pricing.Offer | None:
        return pricing.best(self.offers)

    @property
    def orderable(self) -> list[QuoteLine]:
        return [line for line in self.lines if line.problem is None]


# ------------------------------------------------------------------ input


def one_source(items, cart_item_ids) -> None:
    """An order is of `products` lines or of cart lines: exactly one of the two (400)."""
    if items is not None and cart_item_ids is not None:
        raise ParameterException("products: send products or cart_item_ids, not both")
    if items is None and cart_item_ids is None:
        raise ParameterException(
            "products: send products (the lines to order) or cart_item_ids (cart lines to order)"
        )


def check_caps(items: list[tuple[int, int]], name: str) -> None:
    """400 / 1000 naming `name` when (product_id, count) lines exceed the order caps (the unit
    cap is per product, whatever its SKUs)."""
    config = current_app.config
    counts: Counter[int] = Counter()
    for product_id, count in items:
        counts[product_id] += count
    if len(items) > config["ORDER_MAX_LINES"]:
        raise ParameterException(f"{name}: at most {config['ORDER_MAX_LINES']} products")
    if any(count > config["ORDER_MAX_COUNT"] for count in counts.values()):
        raise ParameterException(
            f"{name}: at most {config['ORDER_MAX_COUNT']} units of one product"
        )
    if sum(counts.values()) > config["ORDER_MAX_TOTAL_COUNT"]:
        raise ParameterException(
            f"{name}: at most {config['ORDER_MAX_TOTAL_COUNT']} units in one order"
        )


def merge_lines(items: list[dict]) -> dict[tuple[int, int | None], int]:
    """Counts per (product_id, sku_id or None) of a `products` body (repeated lines summed,
    first-seen order kept), caps checked."""
    check_caps([(item["product_id"], item["count"]) for item in items], "products")
    lines: Counter[tuple] = Counter()
    for item in items:
        lines[(item["product_id"], item.get("sku_id"))] += item["count"]
    return dict(lines)


# ---------------------------------------------------------------- problems


def _problem(
    product: Product | None, sku: Sku | None, count: int, sku_count: int = 1
) -> Problem | None:
    """Why `count` units of `sku` of `product` cannot be ordered now. `sku` is the resolved
    SKU (None: missing); `sku_count` > 1 with no SKU means the line named none."""
    if product is None or product.delete_time is not None:
        return Problem(DELETED, "This product is no longer sold")
    if not product.on_sale:
        return Problem(OFF_SALE, "This product is off sale")
    if sku is None and sku_count > 1:
        return Problem(SKU_REQUIRED, f"This product has {sku_count} SKUs: choose one")
    if sku is None or sku.delete_time is not None or sku.product_id != product.id:
        return Problem(SKU_MISSING, "This SKU is no longer sold")
    if not sku.on_sale:
        return Problem(OFF_SALE, "This SKU is off sale")
    if sku.stock < count:
        reason = f"Only {sku.stock} in stock" if sku.stock else "Sold out"
        return Problem(SHORT_OF_STOCK, reason, available=sku.stock)
    return None


# ------------------------------------------------------------------ quotes


@dataclass(frozen=True, slots=True)
class ImageRow:
    """An image as a quote line shows it (live or not: `delete_time`)."""

    url: str
    source: int
    delete_time: int | None

    @property
    def absolute_url(self) -> str:
        return stored_image_url(self.url, self.source)


@dataclass(frozen=True, slots=True)
class ProductRow:
    """The product columns a quote reads (deleted rows too, to say why a line is refused)."""

    id: int
    name: str
    category_id: int | None
    on_sale: bool
    delete_time: int | None
    main_img: ImageRow | None


@dataclass(frozen=True, slots=True)
class SkuRow:
    """A live SKU's columns a quote reads."""

    id: int
    product_id: int
    price: Decimal
    stock: int
    spec_text: str
    on_sale: bool
    delete_time: int | None
    img: ImageRow | None


def _image(url, source, delete_time) -> ImageRow | None:
    return ImageRow(url, source, delete_time) if url is not None else None


@cache
def _catalog_statement():
    """Products `ids` outer-joined to their live SKUs (id order) and both images: built once."""
    products, skus = Product.__table__, Sku.__table__
    main_img, sku_img = Image.__table__.alias("main_img"), Image.__table__.alias("sku_img")
    return (
        select(
            products.c.id,
            products.c.name,
            products.c.category_id,
            products.c.on_sale,
            products.c.delete_time,
            main_img.c.url,
            main_img.c.source,
            main_img.c.delete_time,
            skus.c.id,
            skus.c.price,
            skus.c.stock,
            skus.c.spec_text,
            skus.c.on_sale,
            sku_img.c.url,
            sku_img.c.source,
            sku_img.c.delete_time,
        )
        .select_from(products)
        .outerjoin(main_img, main_img.c.id == products.c.main_img_id)
        .outerjoin(skus, (skus.c.product_id == products.c.id) & skus.c.delete_time.is_(None))
        .outerjoin(sku_img, sku_img.c.id == skus.c.img_id)
        .where(products.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(products.c.id, skus.c.id)
    )


def catalog_rows(product_ids: list[int]) -> tuple[dict[int, ProductRow], dict[int, list[SkuRow]]]:
    """The products `product_ids` (deleted ones included) and their live SKUs in id order,
    with both images, in one Core statement (a placement's hot path: no ORM objects)."""
    rows = db.session.connection().execute(_catalog_statement(), {"ids": product_ids}).all()
    found: dict[int, ProductRow] = {}
    live: dict[int, list[SkuRow]] = {product_id: [] for product_id in product_ids}
    for row in rows:
        product_id = row[0]
        if product_id not in found:
            found[product_id] = ProductRow(*row[:5], _image(*row[5:8]))
        if row[8] is not None:
            live[product_id].append(SkuRow(row[8], product_id, *row[9:13], None, _image(*row[13:])))
    return found, live


def quote_products(
    counts: dict[tuple[int, int | None], int], address: Address | None, choice=None, freight=None
) -> Quote:
    """The quote of merged `products` lines ({(product_id, sku_id or None): count}, see
    `merge_lines`), merged again per SKU (a line may name a product's only SKU or leave it
    out). One statement whatever the number of lines (`catalog_rows`)."""
    product_ids = list(dict.fromkeys(product_id for product_id, _ in counts))
    products, skus = catalog_rows(product_ids)
    lines: dict[tuple, QuoteLine] = {}
    for (product_id, sku_id), count in counts.items():
        live = skus[product_id]
        if sku_id is None:
            sku = live[0] if len(live) == 1 else None
        else:
            sku = next((each for each in live if each.id == sku_id), None)
        key = ("sku", sku.id) if sku is not None else ("line", product_id, sku_id)
        if key in lines:
            lines[key].count += count
        else:
            lines[key] = QuoteLine(
                product_id, sku.id if sku else sku_id, count, products.get(product_id), sku
            )
    for line in lines.values():
        sku_count = len(skus[line.product_id]) if line.sku_id is None else 1
        line.problem = _problem(line.product, line.sku, line.count, sku_count)
    return _price(list(lines.values()), address, choice, freight)


def quote_cart_lines(
    items: list[CartItem], address: Address | None, choice=None, freight=None
) -> Quote:
    """The quote of the caller's cart lines (each with .product and .sku loaded, deleted rows
    included), in the order given."""
    check_caps([(item.product_id, item.count) for item in items], "cart_item_ids")
    lines = [
        QuoteLine(
            item.product_id,
            item.sku_id,
            item.count,
            item.product,
            item.sku,
            cart_item_id=item.id,
            problem=_problem(item.product, item.sku, item.count),
        )
        for item in items
    ]
    return _price(lines, address, choice, freight)


@dataclass
class CouponChoice:
    """The caller's coupon part of a quote: the copy chosen (None: no coupon), and whether to
    offer every held copy (the preview)."""

    user_id: int
    user_coupon_id: int | None = None
    offer_all: bool = False
    detached: bool = False  # read with Core, outside the session (placement: read only)
    _held: UserCoupon | None = field(default=None, repr=False)

    def held(self) -> UserCoupon | None:
        """The chosen copy, the caller's (another user's id answers 404 / 52060), read once."""
        if self.user_coupon_id is not None and self._held is None:
            self._held = coupons.get_held(self.user_id, self.user_coupon_id, detached=self.detached)
        return self._held


def freight_for(goods_amount: Decimal, values: dict | None = None) -> Decimal:
    """`shop.freight.price`, unless the goods reach `shop.freight.free_min` (0.00: always free).
    `values`: the two parameters when the caller read them already (`money_values`)."""
    if values is None:
        values = money_values(FREIGHT_KEYS)
    if goods_amount >= values[FREIGHT_FREE_MIN_KEY]:
        return ZERO
    return values[FREIGHT_PRICE_KEY]


def _apply_coupon(quote: Quote, choice: CouponChoice | None) -> None:
    """The chosen coupon's discount, shared over its eligible lines; the preview's offers."""
    orderable = quote.orderable
    for line in orderable:
        line.pay_amount = line.total
    if choice is None:
        return
    at = now()
    priced = [
        pricing.PricedLine(line.product_id, line.product.category_id, line.total)
        for line in orderable
    ]
    room = max(ZERO, quote.goods_amount + quote.freight_amount - pricing.PAY_MIN)
    quote.user_coupon = choice.held()
    if quote.user_coupon is not None:
        quote.coupon = coupons.held_offer(quote.user_coupon, priced, room, at)
    if choice.offer_all:
        quote.offers = [
            coupons.held_offer(held, priced, room, at)
            for held in coupons.held_for_checkout(choice.user_id, at)
        ]
    offer = quote.coupon
    if offer is None or not offer.usable or not offer.discount:
        return
    quote.coupon_discount = offer.discount
    eligible = [orderable[index] for index in offer.eligible]
    for line, share in zip(
        eligible, pricing.allocate(offer.discount, [line.total for line in eligible]), strict=True
    ):
        line.discount = share
        line.pay_amount = line.total - share


def _price(lines: list[QuoteLine], address: Address | None, choice=None, freight=None) -> Quote:
    """The amounts of the orderable lines, and whether the order can be placed (`freight`: the
    freight parameters when the caller read them already).

    The one place that prices an order: goods, freight, the coupon discount, what is paid.
    """
    quote = Quote(lines, address)
    orderable = quote.orderable
    quote.total_count = sum(line.count for line in orderable)
    quote.goods_amount = sum((line.total for line in orderable), ZERO)
    quote.freight_amount = freight_for(quote.goods_amount, freight) if orderable else ZERO
    _apply_coupon(quote, choice)
    quote.total_price = quote.goods_amount + quote.freight_amount - quote.coupon_discount
    unorderable = len(lines) - len(orderable)
    if unorderable:
        reason = (
            "1 line cannot be ordered as it stands"
            if unorderable == 1
            else f"{unorderable} lines cannot be ordered as they stand"
        )
        quote.problem = Problem(LINES, reason)
    elif quote.total_price > ORDER_TOTAL_MAX:
        quote.problem = Problem(
            TOTAL_TOO_LARGE,
            f"The order totals {money_text(quote.total_price)}; one order can total at most "
            f"{money_text(ORDER_TOTAL_MAX)}",
        )
    elif quote.coupon is not None and not quote.coupon.usable:
        quote.problem = Problem(COUPON, quote.coupon.reason)
    elif address is None:
        quote.problem = Problem(NO_ADDRESS, "Add a delivery address before placing an order")
    return quote


def preview_order(
    user_id: int,
    items: list[dict] | None = None,
    address_id: int | None = None,
    *,
    cart_item_ids: list[int] | None = None,
    user_coupon_id: int | None = None,
) -> Quote:
    """POST /v1/order/preview: the quote of `items` or of the caller's cart lines, to the
    address `address_id` (the caller's: 404 / 60010) or the default one, with the coupon
    `user_coupon_id` (the caller's: 404 / 52060) and the offers of every coupon they hold.
    Plain reads: nothing is locked, reserved or written."""
    one_source(items, cart_item_ids)
    counts = merge_lines(items) if items is not None else None
    if address_id is not None:
        address = address_service.get_own_address(user_id, address_id)
    else:
        address = address_service.default_address(user_id)
    choice = CouponChoice(user_id, user_coupon_id, offer_all=True)
    if cart_item_ids is not None:
        lines = cart_service.lines_for_preview(user_id, cart_item_ids)
        return quote_cart_lines(lines, address, choice)
    return quote_products(counts, address, choice)
