"""Footprints: the products a customer opened, one row per product per local day, at most
FOOTPRINT_MAX kept.

`record_view` runs on the public product detail read of a logged-in caller, after the answer
is known to be the product (200 or 304): one upsert statement (INSERT ... ON DUPLICATE KEY
UPDATE on MariaDB/MySQL, INSERT ... ON CONFLICT DO UPDATE on SQLite) and its commit. Trimming
to FOOTPRINT_MAX costs two more statements, so it runs on about one recorded view in
TRIM_EVERY, and whenever the owner lists their footprints; the list itself never shows more
than FOOTPRINT_MAX. Recording is best effort: a failure is logged and the read answers as
usual.
"""

import logging
import random

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from app.core.exceptions import FootprintNotFound
from app.core.forms import INT_LIMIT
from app.core.timefmt import local_date
from app.extensions import db
from app.models import Footprint
from app.models.base import now

logger = logging.getLogger("mini_shop.footprint")

FOOTPRINT_MAX = 200
TRIM_EVERY = 20


def _trim_now() -> bool:
    """Whether this recorded view also trims (about one in TRIM_EVERY)."""
    return random.randrange(TRIM_EVERY) == 0


def _upsert(user_id: int, product_id: int, day: int, at: int):
    values = {
        "user_id": user_id,
        "product_id": product_id,
        "day": day,
        "create_time": at,
        "update_time": at,
    }
    dialect = db.session.get_bind().dialect.name
    if dialect == "mysql":
        return mysql.insert(Footprint).values(values).on_duplicate_key_update(update_time=at)
    if dialect == "sqlite":
        return (
            sqlite.insert(Footprint)
            .values(values)
            .on_conflict_do_update(
                index_elements=["user_id", "product_id", "day"], set_={"update_time": at}
            )
        )
    raise NotImplementedError(f"footprint upsert on {dialect}")


def record_view(user_id: int, product_id: int) -> None:
    """Note that the user opened the product now (committed); see the module docstring."""
    if not 0 < product_id <= INT_LIMIT:
        return
    at = now()
    try:
        db.session.execute(_upsert(user_id, product_id, int(local_date(at)), at))
        if _trim_now():
            trim(user_id)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logger.warning("footprint of user %s on product %s not recorded", user_id, product_id)


def trim(user_id: int) -> None:
    """Delete the user's footprints past the newest FOOTPRINT_MAX (without committing)."""
    oldest_kept = db.session.execute(
        select(Footprint.update_time, Footprint.id)
        .where(Footprint.user_id == user_id)
        .order_by(Footprint.update_time.desc(), Footprint.id.desc())
        .offset(FOOTPRINT_MAX - 1)
        .limit(1)
    ).first()
    if oldest_kept is None:
        return
    kept_time, kept_id = oldest_kept
    db.session.execute(
        delete(Footprint)
        .where(
            Footprint.user_id == user_id,
            or_(
                Footprint.update_time < kept_time,
                and_(Footprint.update_time == kept_time, Footprint.id < kept_id),
            ),
        )
        .execution_options(synchronize_session=False)
    )


def _day_text(day: int) -> str:
    text = f"{day:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def footprint_days(user_id: int) -> dict:
    """The user's footprints, newest first, grouped by local day: {"items": [{date, items}]}.
    Trims first, so what is stored is what is listed."""
    trim(user_id)
    db.session.commit()
    rows = db.session.scalars(
        select(Footprint)
        .where(Footprint.user_id == user_id)
        .options(joinedload(Footprint.product))
        .execution_options(include_deleted=True)  # a deleted product lists, flagged
        .order_by(Footprint.update_time.desc(), Footprint.id.desc())
        .limit(FOOTPRINT_MAX)
    ).all()
    days: dict[int, list[Footprint]] = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)
    ordered = sorted(days.items(), key=lambda pair: pair[0], reverse=True)
    return {"items": [{"date": _day_text(day), "items": items} for day, items in ordered]}


def delete_footprints(user_id: int, ids: list[int]) -> list[int]:
    """Delete the user's footprints `ids`; if one is not theirs, nothing is deleted (404)."""
    found = set(
        db.session.scalars(
            select(Footprint.id).where(Footprint.user_id == user_id, Footprint.id.in_(ids))
        )
    )
    missing = [footprint_id for footprint_id in ids if footprint_id not in found]
    if missing:
        raise FootprintNotFound(detail={"ids": missing})
    db.session.execute(
        delete(Footprint)
        .where(Footprint.user_id == user_id, Footprint.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return ids


def forget_footprints(user_id: int) -> None:
    """Delete the user's footprints in the caller's transaction (account deletion)."""
    db.session.execute(delete(Footprint).where(Footprint.user_id == user_id))
