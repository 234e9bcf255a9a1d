"""Campaign broadcasts (notices) and their per-recipient deliveries.

A ``Broadcast`` is what staff composed: content, audience, schedule. Each time it fires (once for
"now"/"at", once per day or week when recurring) it is materialised into one ``Delivery`` row per
recipient, numbered by ``occurrence``. The delivery engine (``bot.broadcast_delivery``) claims
pending rows, sends them under the global rate and records the outcome row by row. Counts are
derived from deliveries (``SELECT status, count(*) … GROUP BY status``), never stored twice.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TelegramId, TimestampMixin
from bot.models.user import enum_column
from bot.timeutil import utcnow


class AudienceKind(enum.StrEnum):
    TOPIC = "topic"  # subscribers of a topic (parameter: the topic value)
    VOLUNTEERS = "volunteers"  # users with the volunteer role
    DISTRICT = "district"  # volunteers whose profile is in a district (parameter: district name)
    STAFF = "staff"  # campaign staff, department handlers and admins
    DEPARTMENT = "department"  # one department's handlers (parameter: department name)


class ScheduleKind(enum.StrEnum):
    NOW = "now"
    AT = "at"  # once, at ``send_at``
    DAILY = "daily"  # every day at ``send_time`` (local HH:MM)
    WEEKLY = "weekly"  # every week on ``weekday`` (0 = Monday) at ``send_time``


class BroadcastStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # waiting for its (next) occurrence
    RUNNING = "running"  # an occurrence is being delivered
    PAUSED = "paused"  # delivery stopped by staff; resume continues where it stopped
    CANCELLED = "cancelled"
    FINISHED = "finished"


# Allowed transitions, in one place (tested): anything not listed is refused.
BROADCAST_TRANSITIONS: dict[BroadcastStatus, frozenset[BroadcastStatus]] = {
    BroadcastStatus.DRAFT: frozenset(
        {BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING, BroadcastStatus.CANCELLED}
    ),
    BroadcastStatus.SCHEDULED: frozenset(
        {BroadcastStatus.RUNNING, BroadcastStatus.PAUSED, BroadcastStatus.CANCELLED}
    ),
    BroadcastStatus.RUNNING: frozenset(
        {
            BroadcastStatus.PAUSED,
            BroadcastStatus.CANCELLED,
            BroadcastStatus.FINISHED,
            BroadcastStatus.SCHEDULED,  # a recurring notice between occurrences
        }
    ),
    BroadcastStatus.PAUSED: frozenset(
        {BroadcastStatus.RUNNING, BroadcastStatus.SCHEDULED, BroadcastStatus.CANCELLED}
    ),
    BroadcastStatus.CANCELLED: frozenset(),
    BroadcastStatus.FINISHED: frozenset(),
}


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # taken by a sender (claimed_by); released again if it dies (lease)
    SENT = "sent"
    FAILED = "failed"  # gave up after retries, or Telegram refused the message
    UNREACHABLE = "unreachable"  # 403: the user blocked the bot


class Broadcast(TimestampMixin, Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")  # Telegram HTML (validated), or the caption
    photo_file_id: Mapped[str | None] = mapped_column(String(256))
    audience_kind: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind))
    audience_param: Mapped[str | None] = mapped_column(String(128))
    schedule_kind: Mapped[ScheduleKind] = mapped_column(enum_column(ScheduleKind))
    send_at: Mapped[datetime | None]  # ScheduleKind.AT
    send_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" local, DAILY/WEEKLY
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday, WEEKLY
    status: Mapped[BroadcastStatus] = mapped_column(
        enum_column(BroadcastStatus), default=BroadcastStatus.DRAFT, index=True
    )
    last_occurrence: Mapped[int | None] = mapped_column(Integer)
    next_run_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(TelegramId)


class Delivery(Base):
    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "occurrence", "chat_id"),
        Index("ix_broadcast_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_broadcast_deliveries_broadcast_id_status", "broadcast_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    occurrence: Mapped[int] = mapped_column(Integer, default=0)
    # No foreign key to users: a /forget erases the row (see the eraser), the counts stay honest.
    user_id: Mapped[int] = mapped_column(TelegramId, index=True)
    chat_id: Mapped[int] = mapped_column(TelegramId, index=True)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BroadcastRate(Base):
    """The global send pace shared by every sender process (one row, ``id = 1``).

    ``next_slot`` is the wall-clock time (epoch seconds) of the next free send slot; slots are
    handed out ``1/L`` apart under a row lock, so all processes together stay under L per second.
    ``paused_until`` spreads a 429's retry_after to every process.
    """

    __tablename__ = "broadcast_rate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)


__all__ = [
    "BROADCAST_TRANSITIONS",
    "AudienceKind",
    "Broadcast",
    "BroadcastRate",
    "BroadcastStatus",
    "Delivery",
    "DeliveryStatus",
    "ScheduleKind",
]
