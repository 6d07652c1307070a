"""Demo hot keywords: words of the demo products (a real shop sets its own)."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Config
from app.services.search import HOT_KEY

DEMO_HOT_KEYWORDS = ["芒果", "红枣", "花生", "瓜子", "龙井"]


def seed_search() -> None:
    """Fill the hot keywords parameter while it is still the empty list of the system seed."""
    row = db.session.scalar(select(Config).where(Config.key == HOT_KEY))
    if row is not None and row.value == "[]":
        row.value = json.dumps(DEMO_HOT_KEYWORDS, ensure_ascii=False, separators=(",", ":"))
        db.session.commit()
