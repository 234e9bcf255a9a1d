"""Durable scheduled tasks and PTB persistence rows.

Reminders, time-limit warnings, daily articles, scheduled notices and reports are rows here; one
APScheduler job (PTB's JobQueue) claims the due ones. The unique ``key`` makes scheduling idempotent
and the atomic claim makes firing once-only, across restarts and across processes.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base
from bot.models.user import enum_column
from bot.timeutil import utcnow


class TaskStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ScheduledTask(Base):
    __tablename__ = "scheduled_tasks"
    __table_args__ = (Index("ix_scheduled_tasks_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.PENDING)
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersistenceRecord(Base):
    """PTB persistence (conversations, user_data, chat_data) as JSON rows keyed by kind and key."""

    __tablename__ = "ptb_persistence"

    kind: Mapped[str] = mapped_column(String(128), primary_key=True)  # "conversation:<name>"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[Any] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
