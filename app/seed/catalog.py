"""Demo catalog: images, categories, products, themes, banner."""


def seed_catalog() -> None:
    """Load the demo catalog (idempotent)."""
