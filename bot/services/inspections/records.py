"""The records kept about people, and the month's records for the office's export.

Personal data here: the inspector of each inspection, and who answered and who re-checked each
rectification task (their Telegram ids). /mydata lists them; /forget erases the ids (the
inspections and tasks stay, anonymised: the campaign's record and the units' work outlive a
person) and drops the person's unfinished drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Inspection,
    InspectionItem,
    InspectionStatus,
    RectificationEvent,
    RectificationTask,
)
from bot.services.reports.core import Period


async def export_user_data(session: AsyncSession, user_id: int) -> dict[str, Any]:
    inspections = await session.scalars(
        select(Inspection).where(Inspection.inspector_id == user_id).order_by(Inspection.id)
    )
    events = await session.scalars(
        select(RectificationEvent)
        .where(RectificationEvent.actor_id == user_id)
        .order_by(RectificationEvent.id)
    )
    return {
        "inspections": [
            {
                "id": i.id,
                "site": i.site_id,
                "status": i.status.value,
                "score": i.score,
                "latitude": i.latitude,
                "longitude": i.longitude,
                "distance_m": round(i.distance_m, 1) if i.distance_m is not None else None,
                "started_at": i.started_at.isoformat(),
                "submitted_at": i.submitted_at.isoformat() if i.submitted_at else None,
            }
            for i in inspections
        ],
        "rectification_actions": [
            {
                "task": e.task_id,
                "action": e.kind,
                "note": e.note,
                "photos": len(e.photos),
                "at": e.created_at.isoformat(),
            }
            for e in events
        ],
    }


async def erase_user_data(session: AsyncSession, user_id: int) -> None:
    drafts = select(Inspection.id).where(
        Inspection.inspector_id == user_id, Inspection.status == InspectionStatus.DRAFT
    )
    await session.execute(delete(Inspection).where(Inspection.id.in_(drafts)))
    await session.execute(
        update(Inspection)
        .where(Inspection.inspector_id == user_id)
        .values(inspector_id=None, latitude=None, longitude=None)
    )
    await session.execute(
        update(RectificationTask).where(RectificationTask.replied_by == user_id).values(replied_by=None)
    )
    await session.execute(
        update(RectificationTask).where(RectificationTask.checked_by == user_id).values(checked_by=None)
    )
    await session.execute(
        update(RectificationEvent).where(RectificationEvent.actor_id == user_id).values(actor_id=None)
    )


@dataclass(frozen=True)
class MonthRecords:
    inspections: list[Inspection]
    items: list[InspectionItem]  # of those inspections, by inspection and position
    tasks: list[RectificationTask]  # issued in the month (with its inspections), as they stand now


async def month_records(session: AsyncSession, period: Period) -> MonthRecords:
    """The period's submitted inspections with their items, and the tasks issued in the period."""
    inspections = list(
        await session.scalars(
            select(Inspection)
            .where(
                Inspection.status == InspectionStatus.SUBMITTED,
                Inspection.submitted_at >= period.start,
                Inspection.submitted_at < period.end,
            )
            .order_by(Inspection.submitted_at, Inspection.id)
        )
    )
    ids = [i.id for i in inspections]
    items = (
        list(
            await session.scalars(
                select(InspectionItem)
                .where(InspectionItem.inspection_id.in_(ids))
                .order_by(InspectionItem.inspection_id, InspectionItem.position)
            )
        )
        if ids
        else []
    )
    tasks = list(
        await session.scalars(
            select(RectificationTask)
            .where(RectificationTask.created_at >= period.start, RectificationTask.created_at < period.end)
            .order_by(RectificationTask.id)
        )
    )
    return MonthRecords(inspections, items, tasks)
