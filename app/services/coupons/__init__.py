"""Coupons, one module per job:

    pricing    the arithmetic: what a coupon takes off a basket, shares over the lines
    issuing    claims, redeem codes, staff grants, new-user coupons (the two guards)
    holding    a customer's coupons and the checkout steps (offers, use, give back)
    templates  templates and redeem codes for staff

The verbs are re-exported here: `from app.services import coupons; coupons.claim(...)`.
"""

from app.services.coupons.holding import (
    STATUSES,
    claimable,
    expire_held,
    get_held,
    give_back,
    held_for_checkout,
    held_offer,
    mine_query,
    take_back,
    use,
)
from app.services.coupons.issuing import (
    claim,
    get_template,
    grant,
    grant_new_user_coupons,
    redeem,
)
from app.services.coupons.templates import (
    codes_query,
    create_template,
    generate_codes,
    holders_query,
    switch_off,
    template_detail,
    template_query,
    update_template,
)

__all__ = [
    "STATUSES",
    "claim",
    "claimable",
    "codes_query",
    "create_template",
    "expire_held",
    "generate_codes",
    "get_held",
    "get_template",
    "give_back",
    "grant",
    "grant_new_user_coupons",
    "held_for_checkout",
    "held_offer",
    "holders_query",
    "mine_query",
    "redeem",
    "switch_off",
    "take_back",
    "template_detail",
    "template_query",
    "update_template",
    "use",
]
