"""Idempotency keys of POST /v1/order: a retried request with the same key and body answers the
stored response of the first; keys are kept IDEMPOTENCY_TTL seconds."""

import hashlib
import json

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.core.exceptions import Conflict, IdempotencyConflict
from app.extensions import db
from app.models import IdempotencyKey
from app.models.base import now

IDEMPOTENCY_TTL = 24 * 3600


def request_hash(method: str, path: str, body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).hexdigest()


def claim_idempotency_key(user_id: int, key: str, digest: str) -> tuple[int, dict] | None:
    """Reserve `key` for this request; answer the stored (status, body) of a finished twin.

    Raises IdempotencyConflict for another body and Conflict while the first one runs.
    """
    for _ in range(2):
        db.session.add(IdempotencyKey(user_id=user_id, key=key, request_hash=digest))
        try:
            db.session.commit()
            return None
        except IntegrityError:
            db.session.rollback()
        row = db.session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
            )
        )
        if row is None:
            continue
        if row.create_time < now() - IDEMPOTENCY_TTL:
            db.session.delete(row)
            db.session.commit()
            continue
        if row.request_hash != digest:
            raise IdempotencyConflict()
        if row.status_code is None:
            raise Conflict()
        return row.status_code, row.response
    raise Conflict()


def finish_idempotency_key(user_id: int, key: str, status_code: int, body: dict) -> None:
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .values(status_code=status_code, response=body)
    )
    db.session.commit()


def release_idempotency_key(user_id: int, key: str) -> None:
    """Forget a key whose request failed, so the client may retry with it."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.status_code.is_(None),
        )
    )
    db.session.commit()


def purge_idempotency_keys(at: int) -> int:
    """Delete the keys older than IDEMPOTENCY_TTL at `at` (not committed); answers how many."""
    return db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.create_time < at - IDEMPOTENCY_TTL)
    ).rowcount
