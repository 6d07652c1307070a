"""The durable outbox: WeChat calls written with the change that causes them, sent later.

`enqueue()` adds a row to the caller's session and never commits: the row exists exactly when
the business change does. `run_outbox()` (the `flask --app server outbox run` command, every
minute from a timer or cron, on any number of hosts) sends the due rows:

- A row is **claimed** by one guarded UPDATE (`state` pending and due, or a sending row whose
  lease ran out) that sets a fresh claim token and a lease, committed before WeChat is called;
  a runner that loses the race changes nothing and moves on. The same statement works on
  MariaDB and SQLite, so there is no dialect branch.
- The result is written by an UPDATE guarded on that claim token, so a row is marked once, and
  a row marked `sent` (or `skipped`) is never claimed again.
- WeChat not reached (timeout, HTTP error, errcode -1 / 45009 / 45011) → retried after the
  back-off, however long the outage lasts. Any other errcode → retried after the back-off until
  OUTBOX_MAX_ATTEMPTS tries, then `dead` (an admin may retry it). A declined answer listed in
  DECLINED (43101: the user did not subscribe) → `skipped`, final and not an error. A fault of
  ours while sending counts like an error answer (logged with its traceback).
- Back-off after the n-th try: OUTBOX_BACKOFF_SECONDS * 2^(n-1), at most
  OUTBOX_BACKOFF_MAX_SECONDS.

Delivery is at least once in one case only: a runner that dies after WeChat accepted a row and
before it recorded that (the lease then runs out and another runner sends it again). Keep
OUTBOX_LEASE_SECONDS above the longest send (4 x WX_TIMEOUT: token refresh and one retry).
"""

import logging
import uuid

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.core.db import with_retries
from app.core.exceptions import OutboxMessageNotFound, OutboxNotRetryable
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import now
from app.models.outbox import DEAD, KIND_MESSAGE, PENDING, SENDING, SENT, SKIPPED
from app.services.wechat_platform import token
from app.services.wechat_platform.http import WeChatError, WeChatUnreachable, is_configured

logger = logging.getLogger(__name__)

# errcodes meaning "WeChat could not take it now": -1 system busy, 45009 daily quota reached,
# 45011 calls too frequent. They never make a row dead.
TRANSIENT_ERRORS = frozenset({-1, 45009, 45011})
# kind -> errcodes that are a final, expected answer rather than a failure.
DECLINED = {KIND_MESSAGE: frozenset({43101})}  # 43101: the user refused or did not subscribe


def enqueue(kind: str, path: str, body: dict, *, order_id: int | None = None) -> OutboxMessage:
    """Add a row to the caller's transaction (no commit): it is sent once that commits."""
    row = OutboxMessage(
        kind=kind,
        path=path,
        body=body,
        order_id=order_id,
        state=PENDING,
        attempts=0,
        next_attempt_time=now(),
        last_error="",
    )
    db.session.add(row)
    return row


def backoff(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed try."""
    config = current_app.config
    base, ceiling = config["OUTBOX_BACKOFF_SECONDS"], config["OUTBOX_BACKOFF_MAX_SECONDS"]
    return min(base * 2 ** max(attempts - 1, 0), ceiling)


def _due(at: int):
    table = OutboxMessage
    return or_(
        and_(table.state == PENDING, table.next_attempt_time <= at),
        and_(table.state == SENDING, table.lease_expire_time <= at),
    )


def _claim(row_id: int, at: int) -> str | None:
    """Take the row for this runner (one guarded UPDATE, committed); None when another has it."""
    claim = uuid.uuid4().hex

    def work():
        changed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, _due(at))
            .values(
                state=SENDING,
                claim_token=claim,
                lease_expire_time=at + current_app.config["OUTBOX_LEASE_SECONDS"],
                attempts=OutboxMessage.attempts + 1,
                update_time=at,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return changed == 1

    return claim if with_retries(work) else None


def _finish(row_id: int, claim: str, **values) -> bool:
    """Record the result of a claimed row; False when the claim was lost (lease ran out)."""

    def work():
        changed = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row_id,
                OutboxMessage.claim_token == claim,
                OutboxMessage.state == SENDING,
            )
            .values(claim_token=None, lease_expire_time=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return changed == 1

    return with_retries(work)


def _outcome(row: OutboxMessage, at: int) -> tuple[str, dict]:
    """Send one claimed row; answer the report key and the values to record."""
    try:
        token.call(row.path, row.body)
    except WeChatUnreachable as error:
        return "retried", _failed(PENDING, at, None, str(error), row.attempts)
    except WeChatError as error:
        message = f"{error.errcode} {error.errmsg}".strip()
        if error.errcode in DECLINED.get(row.kind, ()):
            return "skipped", _failed(SKIPPED, at, error.errcode, message)
        if error.errcode in TRANSIENT_ERRORS or row.attempts < _max_attempts():
            return "retried", _failed(PENDING, at, error.errcode, message, row.attempts)
        return "dead", _failed(DEAD, at, error.errcode, message)
    except Exception as error:  # a fault of ours must not leave the row claimed forever
        logger.exception("outbox row %s could not be sent", row.id)
        message = f"{type(error).__name__} while sending"
        if row.attempts < _max_attempts():
            return "retried", _failed(PENDING, at, None, message, row.attempts)
        return "dead", _failed(DEAD, at, None, message)
    return "sent", {
        "state": SENT,
        "sent_time": at,
        "last_errcode": None,
        "last_error": "",
        "update_time": at,
    }


def _failed(state: str, at: int, errcode, message: str, attempts: int | None = None) -> dict:
    values = {"state": state, "last_errcode": errcode, "last_error": message[:255]}
    values["update_time"] = at
    if attempts is not None:  # tried again later
        values["next_attempt_time"] = at + backoff(attempts)
    return values


def _max_attempts() -> int:
    return max(1, current_app.config["OUTBOX_MAX_ATTEMPTS"])


def run_outbox(at: int | None = None) -> dict:
    """Send the due rows (at most OUTBOX_BATCH_SIZE); answers how many went which way.

    `at` fixes the clock (tests); by default each claim reads the time anew.
    """
    report = {"sent": 0, "skipped": 0, "retried": 0, "dead": 0, "lost": 0}
    if not is_configured():
        report["not_configured"] = 1
        return report
    clock = (lambda: at) if at is not None else now
    budget = current_app.config["OUTBOX_BATCH_SIZE"]
    while budget > 0:
        ids = db.session.scalars(
            select(OutboxMessage.id)
            .where(_due(clock()))
            .order_by(OutboxMessage.next_attempt_time, OutboxMessage.id)
            .limit(budget)
        ).all()
        db.session.rollback()  # end the read: each claim is its own short transaction
        if not ids:
            break
        for row_id in ids:
            claimed_at = clock()
            claim = _claim(row_id, claimed_at)
            if claim is None:
                continue  # another runner has it
            budget -= 1
            row = db.session.get(OutboxMessage, row_id)
            key, values = _outcome(row, claimed_at)
            db.session.rollback()
            if _finish(row_id, claim, **values):
                report[key] += 1
            else:
                report["lost"] += 1
                logger.warning("outbox row %s: claim lost before its result was recorded", row_id)
            if budget <= 0:
                break
    return report


# ------------------------------------------------------------------ admin


def outbox_query(*, state=None, kind=None, order_id=None):
    """Rows filtered as the admin list asks, newest first."""
    statement = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state:
        statement = statement.where(OutboxMessage.state == state)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    if order_id is not None:
        statement = statement.where(OutboxMessage.order_id == order_id)
    return statement


def retry_dead(row_id: int) -> OutboxMessage:
    """Give a dead row a fresh set of tries, due now (a guarded update: only a dead row)."""
    at = now()
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.state == DEAD)
        .values(state=PENDING, attempts=0, next_attempt_time=at, update_time=at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        exists = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.id == row_id))
        if exists is None:
            raise OutboxMessageNotFound()
        raise OutboxNotRetryable()
    db.session.commit()
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    return row
