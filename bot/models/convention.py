"""Convention learning progress: a resident's quiz record and their place in the daily article loop."""

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


class DailyArticleProgress(Base):
    """Where a subscriber is in the daily loop; ``last_sent_on`` (local date) stops a second send that day."""

    __tablename__ = "convention_daily_progress"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    next_number: Mapped[int] = mapped_column(default=1)
    last_sent_on: Mapped[date | None]
    sent_count: Mapped[int] = mapped_column(default=0)
