"""Inspections (暗访督查): an inspector's walk of a site's checklist, and the rectification tasks
(整改) its failed items give the responsible units.

The supervision report aggregates over plain columns here (site, district, unit, score, result,
status, due and reply times), so they stay columns, never JSON. What the site and its units were
at the time of the inspection is copied onto the rows: a city may edit its sites file later, and
last month's scores must not move with it.

Statuses are enums whose allowed transitions are written down once, here.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TelegramId
from bot.models.user import enum_column
from bot.timeutil import utcnow


class InspectionStatus(enum.StrEnum):
    DRAFT = "draft"  # being walked; the inspector's to change
    SUBMITTED = "submitted"  # scored; its failed items became rectification tasks; never changes again
    DISCARDED = "discarded"  # 作废: a draft the inspector threw away


class ItemResult(enum.StrEnum):
    PASS = "pass"  # 合格
    FAIL = "fail"  # 不合格 (needs at least one photo)
    NOT_APPLICABLE = "na"  # 不适用 (costs nothing)


class RectificationStatus(enum.StrEnum):
    PENDING = "pending"  # 待整改: the unit's to do, against ``due_at``
    REVIEW = "review"  # 待复查: the unit answered; an inspector or staff checks it
    RETURNED = "returned"  # 退回重改: not good enough; the unit's again, against a new ``due_at``
    PASSED = "passed"  # 已通过: closed

    @property
    def is_open(self) -> bool:
        """The unit's work: the time limit runs (warning, 督办)."""
        return self in (RectificationStatus.PENDING, RectificationStatus.RETURNED)


class RectificationAction(enum.StrEnum):
    REPLY = "reply"  # the unit's after-photo and note
    PASS = "pass"  # 复查通过
    RETURN = "return"  # 复查退回 (reason, new deadline)


_OPEN = frozenset({RectificationStatus.PENDING, RectificationStatus.RETURNED})

# The one place that says which action may happen in which status, and where it leads.
RECTIFICATION_TRANSITIONS: dict[
    RectificationAction, tuple[frozenset[RectificationStatus], RectificationStatus]
] = {
    RectificationAction.REPLY: (_OPEN, RectificationStatus.REVIEW),
    RectificationAction.PASS: (frozenset({RectificationStatus.REVIEW}), RectificationStatus.PASSED),
    RectificationAction.RETURN: (frozenset({RectificationStatus.REVIEW}), RectificationStatus.RETURNED),
}


def rectification_allowed(action: RectificationAction, status: RectificationStatus) -> bool:
    return status in RECTIFICATION_TRANSITIONS[action][0]


class Inspection(Base):
    """One inspector's visit to one site."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_status_submitted_at", "status", "submitted_at"),
        Index("ix_inspections_site_id_submitted_at", "site_id", "submitted_at"),
        Index("ix_inspections_inspector_id_status", "inspector_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    site_type: Mapped[str] = mapped_column(String(32))
    district: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))  # the site's responsible unit then (its score)
    # Personal data: SET NULL on /forget (the inspection stays, anonymised). Units never see it.
    inspector_id: Mapped[int | None] = mapped_column(TelegramId, ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[InspectionStatus] = mapped_column(
        enum_column(InspectionStatus), default=InspectionStatus.DRAFT
    )
    # Where the inspector stood when they stamped their location, and how far that was from the site.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    located_at: Mapped[datetime | None]
    location_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)  # walked though far away
    deductions: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float | None] = mapped_column(Float)  # 100 − deductions (not below 0), on submit
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InspectionItem(Base):
    """One line of an inspection's checklist, copied from the standards when the walk began."""

    __tablename__ = "inspection_items"
    __table_args__ = (
        UniqueConstraint("inspection_id", "position"),
        Index("ix_inspection_items_inspection_id_result", "inspection_id", "result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 0, 1, … in the standards' order
    item_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[float] = mapped_column(Float)  # deducted when failed
    negative: Mapped[bool] = mapped_column(Boolean, default=False)  # 负面清单
    unit_id: Mapped[str] = mapped_column(String(64))  # who answers for this item at this site
    result: Mapped[ItemResult | None] = mapped_column(enum_column(ItemResult, 8))
    note: Mapped[str | None] = mapped_column(Text)  # exactly as typed; escaped when shown
    photos: Mapped[list[Any]] = mapped_column(default=list)  # Telegram file ids
    answered_at: Mapped[datetime | None]


class RectificationTask(Base):
    """A failed item, owed by its unit: 待整改 → 待复查 → 通过, or 退回 with a new deadline."""

    __tablename__ = "rectification_tasks"
    __table_args__ = (
        Index("ix_rectification_tasks_status_due_at", "status", "due_at"),
        Index("ix_rectification_tasks_unit_id_status", "unit_id", "status"),
        Index("ix_rectification_tasks_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    inspection_item_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_items.id", ondelete="CASCADE"), unique=True
    )
    site_id: Mapped[str] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(32))
    negative: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[RectificationStatus] = mapped_column(
        enum_column(RectificationStatus), default=RectificationStatus.PENDING
    )
    round: Mapped[int] = mapped_column(Integer, default=0)  # +1 on each 退回 (new time-limit tasks)
    first_due_at: Mapped[datetime]
    due_at: Mapped[datetime]  # the deadline in force
    # The unit's latest answer (earlier ones are in the events). Personal data: replied_by.
    reply_note: Mapped[str | None] = mapped_column(Text)
    reply_photos: Mapped[list[Any]] = mapped_column(default=list)
    replied_by: Mapped[int | None] = mapped_column(TelegramId)
    replied_at: Mapped[datetime | None]
    replied_on_time: Mapped[bool | None] = mapped_column(Boolean)  # the latest answer came by due_at
    # The latest re-check. Personal data: checked_by.
    checked_by: Mapped[int | None] = mapped_column(TelegramId)
    checked_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    passed_at: Mapped[datetime | None]
    warned_at: Mapped[datetime | None]  # the 75 % warning of the current round went out
    escalated_at: Mapped[datetime | None]  # 督办 of the current round went out
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RectificationEvent(Base):
    """One line of a task's history: issued, answered, passed, returned, warned, escalated."""

    __tablename__ = "rectification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("rectification_tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "issued", a RectificationAction, "warned", "escalated"
    round: Mapped[int] = mapped_column(Integer, default=0)
    actor_id: Mapped[int | None] = mapped_column(TelegramId, index=True)  # no FK: history outlives people
    note: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list[Any]] = mapped_column(default=list)
    due_at: Mapped[datetime | None]  # a return's new deadline
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
