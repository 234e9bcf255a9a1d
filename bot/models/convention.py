"""Convention learning: a resident's quiz record, and the one shared place in the daily article loop."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base
from bot.timeutil import utcnow


class ConventionQuizRecord(Base):
    """One row per resident who finished a quiz: the personal best survives later, worse attempts."""

    __tablename__ = "convention_quiz_records"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    best_score: Mapped[int]
    best_total: Mapped[int]
    best_at: Mapped[datetime]
    last_score: Mapped[int]
    attempts: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DailyArticleState(Base):
    """The single row (id 1) of the daily loop, shared by all subscribers.

    ``next_number`` is the article of the next daily notice; ``last_sent_on`` (local date) is the last day
    a notice was created, so a second run for the same day does nothing. Both change in the transaction
    that creates the day's broadcast.
    """

    __tablename__ = "convention_daily_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    next_number: Mapped[int] = mapped_column(default=1)
    last_sent_on: Mapped[date | None]
    last_broadcast_id: Mapped[int | None]
