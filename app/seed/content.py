"""Demo content: articles and notices."""


def seed_content() -> None:
    """Load the demo content (idempotent)."""
