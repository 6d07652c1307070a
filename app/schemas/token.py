"""Token shapes: the pair a login answers, and what a token says about itself."""

from app.schemas.base import Int, Shape, Str


class TokenPair(Shape):
    """An access token (send it as `Authorization: Bearer <token>`) and its refresh token."""

    token = Str()
    token_type = Str()
    expires_in = Int()
    refresh_token = Str()
    refresh_expires_in = Int()
    uid = Int()
    scope = Str()


class TokenInfo(Shape):
    """Whom an access token belongs to, and when it was issued and expires (Unix seconds)."""

    uid = Int()
    scope = Str()
    type = Int()
    create_at = Int()
    expire_in = Int()


class Nothing(Shape):
    """An empty object."""
