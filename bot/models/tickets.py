"""Tickets (投诉工单: a resident's complaint as a tracked case), their history, and the per-day number counter.

The supervision report aggregates over plain columns here (category_id, department_id, status,
created_at, due_at, resolved_at, rating), so they stay columns, never JSON.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TelegramId
from bot.models.user import enum_column
from bot.timeutil import utcnow


class TicketStatus(enum.StrEnum):
    RECEIVED = "received"  # 待受理 (also after a reassignment or a reopen)
    ACCEPTED = "accepted"  # 办理中
    RESOLVED = "resolved"  # 已办结, awaiting the reporter's rating
    CLOSED = "closed"  # 已关闭 (rated, or no rating within the reopen window)
    REJECTED = "rejected"  # 已驳回
    DUPLICATE = "duplicate"  # 重复件, linked to duplicate_of_id

    @property
    def is_open(self) -> bool:
        """Still the department's work: time limits apply."""
        return self in (TicketStatus.RECEIVED, TicketStatus.ACCEPTED)


class TicketAction(enum.StrEnum):
    ACCEPT = "accept"  # 受理
    REASSIGN = "reassign"  # 转派
    RESOLVE = "resolve"  # 办结
    REJECT = "reject"  # 驳回
    DUPLICATE = "duplicate"  # 重复
    TRIAGE = "triage"  # 分拣 (choose the category of a 待分拣 ticket)
    RATE = "rate"  # 回访满意度 (closes the ticket)
    REOPEN = "reopen"  # 重新办理 (within the reopen window after resolution)
    CLOSE = "close"  # automatic close when the reopen window passes without a rating


_OPEN = frozenset({TicketStatus.RECEIVED, TicketStatus.ACCEPTED})

# The one place that says which action may happen in which status, and where it leads.
TICKET_TRANSITIONS: dict[TicketAction, tuple[frozenset[TicketStatus], TicketStatus | None]] = {
    TicketAction.ACCEPT: (frozenset({TicketStatus.RECEIVED}), TicketStatus.ACCEPTED),
    TicketAction.REASSIGN: (_OPEN, TicketStatus.RECEIVED),
    TicketAction.RESOLVE: (_OPEN, TicketStatus.RESOLVED),
    TicketAction.REJECT: (_OPEN, TicketStatus.REJECTED),
    TicketAction.DUPLICATE: (_OPEN, TicketStatus.DUPLICATE),
    TicketAction.TRIAGE: (_OPEN, None),  # None: the status stays
    TicketAction.RATE: (frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED),
    TicketAction.REOPEN: (frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED}), TicketStatus.RECEIVED),
    TicketAction.CLOSE: (frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED),
}


def allowed(action: TicketAction, status: TicketStatus) -> bool:
    return status in TICKET_TRANSITIONS[action][0]


def target_status(action: TicketAction, status: TicketStatus) -> TicketStatus:
    """Where the action leads from this status (the status itself when the action keeps it)."""
    return TICKET_TRANSITIONS[action][1] or status


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_due_at", "status", "due_at"),
        Index("ix_tickets_category_id_created_at", "category_id", "created_at"),
        Index("ix_tickets_department_id_status", "department_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # TS-YYYYMMDD-NNNN (local day)
    # SET NULL on /forget: the report stays (anonymised) so the department can finish its work.
    # The idempotency key of the confirm button that filed it: a doubled or redelivered 确认提交
    # (in any process) finds this ticket instead of filing a second one.
    filing_key: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    reporter_id: Mapped[int | None] = mapped_column(
        TelegramId, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)  # exactly as sent; escaped when shown
    photo_file_ids: Mapped[list[Any]] = mapped_column(default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))
    category_id: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_kinds: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), default=TicketStatus.RECEIVED)
    time_limit_hours: Mapped[float] = mapped_column(Float, default=48.0)
    due_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TicketEvent(Base):
    """One line of a ticket's history: a status change, a reassignment, a note, an escalation."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "created" or a TicketAction value, "warned", "escalated"
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(TelegramId)  # no FK: history outlives people
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketCounter(Base):
    """The last ticket number given on one local day; bumped atomically (upsert … RETURNING)."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # YYYYMMDD, local time
    last: Mapped[int] = mapped_column(Integer, default=0)
