"""Idempotency keys of POST /v1/order: a retried request with the same key and body answers the
stored response of the first; keys are kept IDEMPOTENCY_TTL seconds. The key row, the order and
the stored answer commit in one transaction (placement.py), the key's UNIQUE index the guard."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.exceptions import Conflict, IdempotencyConflict
from app.extensions import db
from app.models import IdempotencyKey
from app.models.base import now

IDEMPOTENCY_TTL = 24 * 3600


def request_hash(method: str, path: str, body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class IdempotentRequest:
    """A POST /v1/order sent with an Idempotency-Key: the key, the request's hash, and how to
    build the answer to store from the placed order (status, body)."""

    key: str
    digest: str
    answer: Callable[[object], tuple[int, dict]]


@dataclass(frozen=True)
class Replay:
    """The stored answer of the first request sent with the key."""

    status_code: int
    body: dict


class KeyReleased(Exception):
    """The key's row went away between the duplicate INSERT and reading it: hold it again."""


def hold_key(user_id: int, request: IdempotentRequest) -> Replay | None:
    """The first write of an idempotent placement's transaction: INSERT the key row, the guard
    (UNIQUE user_id + key). A concurrent twin's INSERT waits on that unique key until
    this transaction ends: after its commit the twin reads the stored answer, after a rollback
    (a refused order stores nothing, so the client may retry) the twin goes on and places.

    Answers None when held (the caller places the order, `store_answer`s and commits), else
    the first request's answer; IdempotencyConflict when the key came with another body.
    """
    at = now()
    try:
        db.session.connection().execute(
            insert(IdempotencyKey.__table__).values(
                user_id=user_id, key=request.key, request_hash=request.digest, create_time=at
            )
        )
        return None
    except IntegrityError:
        db.session.rollback()
    row = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == request.key
        )
    )
    if row is None:
        raise KeyReleased()
    if row.create_time < at - IDEMPOTENCY_TTL:  # an expired key is free again
        db.session.delete(row)
        db.session.commit()
        raise KeyReleased()
    if row.request_hash != request.digest:
        raise IdempotencyConflict()
    if row.status_code is None:  # committed without its answer: only by an older version
        raise Conflict()
    replay = Replay(row.status_code, row.response)
    db.session.rollback()
    return replay


def store_answer(user_id: int, request: IdempotentRequest, order) -> tuple[int, dict]:
    """Keep the answer on the held key row, in the order's transaction (not committed)."""
    status_code, body = request.answer(order)
    db.session.connection().execute(
        update(IdempotencyKey.__table__)
        .where(
            IdempotencyKey.__table__.c.user_id == user_id,
            IdempotencyKey.__table__.c.key == request.key,
        )
        .values(status_code=status_code, response=body)
    )
    return status_code, body


def purge_idempotency_keys(at: int) -> int:
    """Delete the keys older than IDEMPOTENCY_TTL at `at` (not committed); answers how many."""
    return db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.create_time < at - IDEMPOTENCY_TTL)
    ).rowcount
