"""The payment gateway as the order workflows see it.

Cancelling an unpaid order first asks WeChat Pay whether it was paid (and closes it there), and
expiry settles refunds WeChat still reports as processing. The payment service sits above the
orders package (it records payments and refunds through it), so instead of importing it the
workflows call the two verbs create_app registers here with `init_gateway`. Without a gateway
(an app built without the factory) nothing is asked: no payment found, no refund settled.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True)
class PaymentGateway:
    settle_before_cancel: Callable[[object], bool]  # the order turned out paid
    settle_processing_refunds: Callable[[], int]  # how many refunds were settled


_NONE = PaymentGateway(
    settle_before_cancel=lambda order: False, settle_processing_refunds=lambda: 0
)


def init_gateway(app: Flask, *, settle_before_cancel, settle_processing_refunds) -> None:
    app.extensions["payment_gateway"] = PaymentGateway(
        settle_before_cancel=settle_before_cancel,
        settle_processing_refunds=settle_processing_refunds,
    )


def gateway() -> PaymentGateway:
    return current_app.extensions.get("payment_gateway", _NONE)
