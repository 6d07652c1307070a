"""Demo orders: two sample orders of user 2."""


def seed_orders() -> None:
    """Load the demo orders (idempotent)."""
