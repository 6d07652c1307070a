"""Token pairs: access tokens plus rotating refresh tokens with reuse detection."""

import hashlib
import secrets

from flask import current_app
from sqlalchemy import delete, select, update

from app.core.auth import decode_access_token, issue_access_token, user_for_payload
from app.core.exceptions import RefreshTokenInvalid, RefreshTokenReused
from app.extensions import db
from app.models import RefreshToken, User
from app.models.base import now


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_refresh_token(user: User, client_type: int, family_id: str) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=_hash(token),
            client_type=client_type,
            token_version=user.token_version or 0,
            expires_at=now() + current_app.config["REFRESH_TOKEN_EXPIRES_IN"],
        )
    )
    return token


def token_pair(user: User, client_type: int, family_id: str | None = None) -> dict:
    """Issue an access token and a refresh token (a new family unless one is given)."""
    refresh = _new_refresh_token(user, client_type, family_id or secrets.token_hex(16))
    return {
        "token": issue_access_token(user, client_type),
        "token_type": "Bearer",
        "expires_in": current_app.config["TOKEN_EXPIRES_IN"],
        "refresh_token": refresh,
        "refresh_expires_in": current_app.config["REFRESH_TOKEN_EXPIRES_IN"],
        "uid": user.id,
        "scope": user.scope,
    }


def revoke_family(family_id: str) -> None:
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )


def revoke_user_tokens(user: User) -> None:
    """Kill every access and refresh token of the user (token version bump)."""
    user.revoke_tokens()
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )


def revoke_everywhere(user: User) -> int:
    """Log the user out of every session (committed); answers the user's id."""
    revoke_user_tokens(user)
    db.session.commit()
    return user.id


def describe_access_token(token: str) -> dict:
    """Whom a valid access token belongs to, its scope, client type and lifetime."""
    payload, issued = decode_access_token(token)
    user_for_payload(payload)
    return {
        "uid": payload["uid"],
        "scope": payload.get("scope", "user"),
        "type": payload.get("type"),
        "create_at": issued,
        "expire_in": issued + current_app.config["TOKEN_EXPIRES_IN"],
    }


def rotate(refresh_token: str) -> dict:
    """Exchange a refresh token for a new pair; a reused one revokes its whole family.

    Three statements: the token with its (live) user in one SELECT, the guarded UPDATE that
    marks it used, the INSERT of the new one; the answer is built before the COMMIT."""
    found = db.session.execute(
        select(RefreshToken, User)
        .outerjoin(User, User.id == RefreshToken.user_id)
        .where(RefreshToken.token_hash == _hash(refresh_token))
    ).first()
    row, user = found if found is not None else (None, None)
    if row is None or row.revoked_at is not None or row.expires_at < now():
        raise RefreshTokenInvalid()
    if row.used_at is not None:
        revoke_family(row.family_id)
        db.session.commit()
        raise RefreshTokenReused()
    if user is None or not user.active or row.token_version != (user.token_version or 0):
        raise RefreshTokenInvalid()
    # Guarded: of two concurrent rotations of one token only one wins; the other is a reuse.
    marked = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
        .values(used_at=now())
    ).rowcount
    if not marked:
        db.session.rollback()
        revoke_family(row.family_id)
        db.session.commit()
        raise RefreshTokenReused()
    pair = token_pair(user, row.client_type, row.family_id)
    db.session.commit()
    return pair


def logout(refresh_token: str) -> None:
    row = db.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == _hash(refresh_token))
    )
    if row is not None:
        revoke_family(row.family_id)
        db.session.commit()


def purge_expired_refresh_tokens(at: int) -> int:
    """Delete the refresh tokens expired at `at` (not committed); answers how many."""
    return db.session.execute(delete(RefreshToken).where(RefreshToken.expires_at < at)).rowcount
