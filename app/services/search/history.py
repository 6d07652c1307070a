"""Each customer's search history: newest first, a keyword once, at most HISTORY_MAX kept."""

import logging

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db
from app.models.search import SearchHistory

logger = logging.getLogger("mini_shop.search")

HISTORY_MAX = 20
LOCK_ERRORS = (1205, 1213)  # MariaDB/MySQL: lock wait timeout, deadlock


def record_search(user_id: int, keyword: str) -> None:
    """Put keyword at the top of the user's history (committed), dropping the oldest past
    HISTORY_MAX. The same keyword again (ASCII case aside) replaces its row.

    Best effort: two searches of one user racing on the same keyword may collide on the unique
    key (or, on MariaDB, deadlock); the loser's record is dropped, never its search.
    """
    try:
        db.session.execute(
            delete(SearchHistory).where(
                SearchHistory.user_id == user_id,
                func.lower(SearchHistory.keyword) == keyword.lower(),
            )
        )
        db.session.add(SearchHistory(user_id=user_id, keyword=keyword))
        db.session.flush()
        oldest_kept = db.session.scalar(
            select(SearchHistory.id)
            .where(SearchHistory.user_id == user_id)
            .order_by(SearchHistory.id.desc())
            .offset(HISTORY_MAX - 1)
            .limit(1)
        )
        if oldest_kept is not None:
            db.session.execute(
                delete(SearchHistory).where(
                    SearchHistory.user_id == user_id, SearchHistory.id < oldest_kept
                )
            )
        db.session.commit()
    except (IntegrityError, OperationalError) as error:
        db.session.rollback()
        if isinstance(error, OperationalError) and _error_number(error) not in LOCK_ERRORS:
            raise
        logger.info("search history of user %s not recorded (concurrent search)", user_id)


def _error_number(error: OperationalError):
    args = getattr(error.orig, "args", ())
    return args[0] if args else None


def list_history(user_id: int) -> list[SearchHistory]:
    statement = (
        select(SearchHistory)
        .where(SearchHistory.user_id == user_id)
        .order_by(SearchHistory.id.desc())
        .limit(HISTORY_MAX)
    )
    return list(db.session.scalars(statement))


def clear_history(user_id: int) -> list[int]:
    """Delete the user's whole history; answer the ids deleted."""
    ids = list(db.session.scalars(select(SearchHistory.id).where(SearchHistory.user_id == user_id)))
    if ids:
        db.session.execute(
            delete(SearchHistory).where(SearchHistory.user_id == user_id, SearchHistory.id.in_(ids))
        )
    db.session.commit()
    return ids


def forget_history(user_id: int) -> None:
    """Delete the user's history in the caller's transaction (account deletion)."""
    db.session.execute(delete(SearchHistory).where(SearchHistory.user_id == user_id))
