"""Issuing coupons: claims, redeem codes, staff grants and new-user coupons.

Every way in goes through the same two guards, in the same lock order (the customer's user
row, then the redeem code, then the template), so racing requests queue instead of
deadlocking:

- the per-user limit: each attempt starts a new transaction whose first statement locks the
  customer's user row (`SELECT ... FOR UPDATE`, the cart's lock), so one customer's
  concurrent claims run in turn and each one's snapshot, taken after the lock, sees the
  copies the one before committed; they are then counted with a plain read (a locking read
  would take gap locks that deadlock claims of neighbouring customers);
- the quantity: `UPDATE coupon SET claimed = claimed + n WHERE claimed + n <= total`, whose
  row count says whether the copies were left (a CHECK constraint backs it).
A redeem code is taken by `UPDATE coupon_code ... WHERE used_by IS NULL`: one customer wins.
"""

from sqlalchemy import func, select, update

from app.core import metrics
from app.core.db import retrying
from app.core.exceptions import (
    CouponCodeNotFound,
    CouponCodeUsed,
    CouponLimitReached,
    CouponNotClaimable,
    CouponNotFound,
    CouponOff,
    CouponSoldOut,
    UserNotFound,
)
from app.extensions import db
from app.models import Coupon, CouponCode, User, UserCoupon
from app.models.base import now
from app.models.coupon import KIND_CLAIM, KIND_CODE, KIND_NEW_USER, SOURCE_GRANT
from app.models.user import AUTH_USER


def get_template(coupon_id: int) -> Coupon:
    coupon = db.session.get(Coupon, coupon_id) if 0 < coupon_id < 2**63 else None
    if coupon is None:
        raise CouponNotFound()
    return coupon


def _lock_users(user_ids) -> None:
    db.session.execute(
        select(User.id).where(User.id.in_(sorted(user_ids))).order_by(User.id).with_for_update()
    )


def _held(user_id: int, coupon_id: int) -> int:
    """The copies of the template the user holds (read after the user row is locked)."""
    return db.session.scalar(
        select(func.count())
        .select_from(UserCoupon)
        .where(UserCoupon.user_id == user_id, UserCoupon.coupon_id == coupon_id)
    )


def _take(coupon_id: int, count: int = 1) -> bool:
    """Count `count` more copies claimed, if the quantity leaves them."""
    taken = db.session.execute(
        update(Coupon)
        .where(
            Coupon.id == coupon_id,
            (Coupon.total.is_(None)) | (Coupon.claimed + count <= Coupon.total),
        )
        .values(claimed=Coupon.claimed + count)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def _issue(user_id: int, coupon: Coupon, source: str, at: int) -> UserCoupon:
    start, end = coupon.window_from(at)
    held = UserCoupon(
        user_id=user_id,
        coupon_id=coupon.id,
        status=1,
        valid_start=start,
        valid_end=end,
        source=source,
        create_time=at,
        update_time=at,
    )
    db.session.add(held)
    db.session.flush()
    return held


def _claimable_now(coupon: Coupon, at: int) -> None:
    """409 unless the template can be taken now: on, inside its claim window, still valid."""
    if not coupon.enabled:
        raise CouponOff()
    if not coupon.claim_open(at):
        raise CouponNotClaimable("This coupon cannot be claimed now: outside its claim window")
    if coupon.valid_days is None and coupon.valid_end <= at:
        raise CouponNotClaimable("This coupon cannot be claimed now: its validity has ended")


def _in_transaction(work):
    """Run `work` in a transaction of its own, committed, retried after a deadlock."""

    def attempt():
        db.session.rollback()  # a new transaction: its snapshot starts after the user lock
        try:
            result = work()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return result

    return retrying(attempt)


def _result(held_id: int) -> UserCoupon:
    return db.session.scalar(
        select(UserCoupon).where(UserCoupon.id == held_id).execution_options(populate_existing=True)
    )


def claim(user_id: int, coupon_id: int) -> UserCoupon:
    """POST /v1/coupon/{id}/claim: one copy of a claimable template."""

    def work() -> int:
        at = now()
        _lock_users([user_id])
        coupon = get_template(coupon_id)
        if coupon.kind != KIND_CLAIM:
            raise CouponNotClaimable("This coupon is not claimed here (a new-user or code coupon)")
        _claimable_now(coupon, at)
        if _held(user_id, coupon.id) >= coupon.per_user_limit:
            raise CouponLimitReached()
        if not _take(coupon.id):
            metrics.coupon_conflict("sold_out")
            raise CouponSoldOut()
        return _issue(user_id, coupon, KIND_CLAIM, at).id

    return _result(_in_transaction(work))


def normalize_code(code: str) -> str:
    return code.strip().upper()


def redeem(user_id: int, code: str) -> UserCoupon:
    """POST /v1/coupon/redeem: the copy a single-use code stands for."""

    def work() -> int:
        at = now()
        _lock_users([user_id])
        row = db.session.scalar(select(CouponCode).where(CouponCode.code == normalize_code(code)))
        if row is None:
            raise CouponCodeNotFound()
        if row.used_by is not None:
            raise CouponCodeUsed()
        coupon = get_template(row.coupon_id)
        _claimable_now(coupon, at)
        if _held(user_id, coupon.id) >= coupon.per_user_limit:
            raise CouponLimitReached()
        taken = db.session.execute(
            update(CouponCode)
            .where(CouponCode.id == row.id, CouponCode.used_by.is_(None))
            .values(used_by=user_id, used_time=at)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            metrics.coupon_conflict("code_used")
            raise CouponCodeUsed()
        if not _take(coupon.id):
            metrics.coupon_conflict("sold_out")
            raise CouponSoldOut()
        held = _issue(user_id, coupon, KIND_CODE, at)
        db.session.execute(
            update(CouponCode)
            .where(CouponCode.id == row.id)
            .values(user_coupon_id=held.id)
            .execution_options(synchronize_session=False)
        )
        return held.id

    return _result(_in_transaction(work))


def grant(coupon_id: int, user_ids: list[int]) -> dict:
    """POST /v2/coupon/{id}/grant: one copy to each customer below the per-user limit (the
    others are `skipped`); all or nothing against the quantity. Claim windows do not apply."""

    def work() -> dict:
        at = now()
        _lock_users(user_ids)
        coupon = get_template(coupon_id)
        if not coupon.enabled:
            raise CouponOff()
        if coupon.valid_days is None and coupon.valid_end <= at:
            raise CouponNotClaimable("This coupon cannot be granted: its validity has ended")
        found = set(
            db.session.scalars(select(User.id).where(User.id.in_(user_ids), User.auth == AUTH_USER))
        )
        missing = [uid for uid in user_ids if uid not in found]
        if missing:
            raise UserNotFound("Some users are not customers", detail={"user_ids": missing})
        granted = [uid for uid in user_ids if _held(uid, coupon.id) < coupon.per_user_limit]
        if granted and not _take(coupon.id, len(granted)):
            left = max(0, coupon.total - coupon.claimed)
            raise CouponSoldOut(
                f"Only {left} left of this coupon", detail={"left": left, "asked": len(granted)}
            )
        for uid in granted:
            _issue(uid, coupon, SOURCE_GRANT, at)
        return {"granted": granted, "skipped": [uid for uid in user_ids if uid not in granted]}

    return _in_transaction(work)


def grant_new_user_coupons(user: User, at: int) -> list[int]:
    """One copy of every new-user template open now, in the caller's transaction: the first
    login of a customer, which holds the user row (the guarded UPDATE that found
    `last_login_time` unset). Sold-out or closed templates are skipped. Does not commit."""
    if user.auth != AUTH_USER:
        return []
    templates = db.session.scalars(
        select(Coupon)
        .where(Coupon.kind == KIND_NEW_USER, Coupon.enabled.is_(True))
        .order_by(Coupon.id)
    ).all()
    templates = [
        coupon
        for coupon in templates
        if coupon.claim_open(at) and (coupon.valid_days is not None or coupon.valid_end > at)
    ]
    issued = []
    for coupon in templates:
        if _held(user.id, coupon.id) == 0 and _take(coupon.id):
            issued.append(_issue(user.id, coupon, KIND_NEW_USER, at).id)
    return issued
