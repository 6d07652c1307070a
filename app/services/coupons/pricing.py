"""Coupon arithmetic, exact to the fen: what a coupon takes off a basket, and how a discount is
shared over the lines it applies to. Plain functions of Decimals; no database.

- The eligible lines are those in the template's scope (all products, `category_ids` or
  `product_ids`); the threshold (`min_amount`) is met by the eligible lines alone.
- Full reduction and no-threshold coupons take `amount`; a discount coupon takes
  `eligible * (100 - percent) / 100`, rounded half-up to the fen, then capped by
  `max_discount`. A discount never exceeds the eligible amount.
- An order pays at least 0.01 (WeChat Pay takes no zero amount): when a coupon would cover the
  whole order (no freight, discount = goods), it gives one fen less (`room`).
- `allocate` shares a discount over the eligible lines by the largest-remainder method: each
  line takes the floor of its exact share in fen, and the fen left over go one each to the
  lines with the largest remainders (earlier lines first on ties). The shares add up to the
  discount exactly and no line takes more than its total.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from app.models.coupon import DISCOUNT, Coupon

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PAY_MIN = CENT

# Why a held coupon cannot be used on a basket (Offer.reason_code), first that applies.
USED, EXPIRED, NOT_STARTED = "used", "expired", "not_started"
SCOPE, THRESHOLD = "scope", "threshold"


@dataclass(frozen=True)
class PricedLine:
    """What the arithmetic needs of a line: its product, category and total."""

    product_id: int
    category_id: int | None
    total: Decimal


@dataclass(frozen=True)
class Offer:
    """What one coupon gives on a basket: the discount (0 when it cannot be used), the lines
    it applies to (indexes), and why it cannot be used (None when it can)."""

    coupon: Coupon
    discount: Decimal
    eligible: tuple[int, ...]
    eligible_amount: Decimal
    reason_code: str | None = None
    reason: str = ""
    held: object = None  # the UserCoupon offered, when the offer is of a held copy

    @property
    def usable(self) -> bool:
        return self.reason_code is None


def eligible_lines(coupon: Coupon, lines: list[PricedLine]) -> tuple[int, ...]:
    return tuple(
        index
        for index, line in enumerate(lines)
        if coupon.in_scope(line.product_id, line.category_id)
    )


def nominal_discount(coupon: Coupon, eligible_amount: Decimal) -> Decimal:
    """What the coupon takes off `eligible_amount` (threshold met), before the 0.01 floor."""
    if coupon.type == DISCOUNT:
        off = (eligible_amount * (100 - coupon.percent) / 100).quantize(CENT, ROUND_HALF_UP)
        if coupon.max_discount is not None:
            off = min(off, coupon.max_discount)
    else:
        off = coupon.amount
    return min(off, eligible_amount)


def offer(coupon: Coupon, lines: list[PricedLine], room: Decimal) -> Offer:
    """The offer of `coupon` on `lines`; `room` is the most any discount may take (what keeps
    the order at 0.01 or more)."""
    eligible = eligible_lines(coupon, lines)
    amount = sum((lines[index].total for index in eligible), ZERO)
    if not eligible:
        return Offer(coupon, ZERO, eligible, amount, SCOPE, "No product of this order is in scope")
    if amount < coupon.threshold:
        short = coupon.threshold - amount
        return Offer(
            coupon,
            ZERO,
            eligible,
            amount,
            THRESHOLD,
            f"Needs {coupon.threshold:.2f} of products in scope; {short:.2f} more",
        )
    return Offer(coupon, max(ZERO, min(nominal_discount(coupon, amount), room)), eligible, amount)


def refused(coupon: Coupon, code: str, reason: str) -> Offer:
    return Offer(coupon, ZERO, (), ZERO, code, reason)


def allocate(discount: Decimal, totals: list[Decimal]) -> list[Decimal]:
    """`discount` shared over lines of `totals` by the largest remainder, to the fen."""
    whole = sum(totals, ZERO)
    if not totals or discount <= 0 or whole <= 0:
        return [ZERO for _ in totals]
    fen = int(discount / CENT)
    exact = [Decimal(fen) * total / whole for total in totals]
    floors = [int(value.to_integral_value(ROUND_FLOOR)) for value in exact]
    left = fen - sum(floors)
    by_remainder = sorted(range(len(totals)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:left]:
        floors[index] += 1
    return [Decimal(share) * CENT for share in floors]


def best(offers: list[Offer]):
    """The usable offer that takes most off (sooner end of validity, then lower id, on ties)."""
    usable = [each for each in offers if each.usable]
    return min(usable, key=rank, default=None)


def rank(each: Offer):
    """Best first: most taken off, then the sooner end of validity, then the lower id."""
    held = each.held
    return (-each.discount, held.valid_end if held else 0, held.id if held else each.coupon.id)
