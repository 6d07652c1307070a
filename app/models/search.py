"""Search: each customer's recent search keywords."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import CreateTimeMixin

KEYWORD_MAX = 50


class SearchHistory(CreateTimeMixin, db.Model):
    """One keyword a user searched. A repeated search replaces the row, so the newest row (the
    highest id) is the latest search and a keyword appears once per user."""

    __tablename__ = "search_history"
    __table_args__ = (UniqueConstraint("user_id", "keyword"),)  # also the index of user_id

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    keyword: Mapped[str] = mapped_column(String(KEYWORD_MAX))
