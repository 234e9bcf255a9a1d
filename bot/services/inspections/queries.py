"""What people look at: /rectifications (a unit's tasks, or all of them for staff, filtered) and a
task's details. A unit sees only its own tasks, and nothing of who inspected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Inspection,
    InspectionItem,
    InspectionStatus,
    RectificationEvent,
    RectificationStatus,
    RectificationTask,
)
from bot.services.inspections.errors import InspectionNotFound, InspectionProblem, NotAllowed
from bot.services.inspections.rectification import events_of, is_member, item_of, task_of
from bot.services.users import Actor

OPEN = (RectificationStatus.PENDING, RectificationStatus.RETURNED)
UNFINISHED = (*OPEN, RectificationStatus.REVIEW)


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks: a status (None: every unfinished one), a unit, a district, only overdue ones."""

    status: RectificationStatus | None = None
    unit: str | None = None
    district: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class TaskPage:
    tasks: list[RectificationTask]
    total: int
    filter: TaskFilter  # as applied (a unit's member always gets their unit)


@dataclass(frozen=True)
class TaskDetail:
    task: RectificationTask
    item: InspectionItem
    events: list[RectificationEvent]


def scope(actor: Actor, wanted: TaskFilter) -> TaskFilter:
    """Campaign staff may look at any unit; a unit's member only ever at their own unit."""
    if actor.is_campaign_staff:
        return wanted
    if actor.department:
        return TaskFilter(wanted.status, actor.department, None, wanted.overdue)
    raise NotAllowed(InspectionProblem.TASK_NOT_YOURS)


async def list_tasks(
    session: AsyncSession, actor: Actor, wanted: TaskFilter, now: datetime, *, offset: int, limit: int
) -> TaskPage:
    """The tasks the filter picks (scoped to the actor), soonest deadline first."""
    applied = scope(actor, wanted)
    conditions = _conditions(applied, now)
    total = int(
        await session.scalar(select(func.count()).select_from(RectificationTask).where(*conditions)) or 0
    )
    rows = await session.scalars(
        select(RectificationTask)
        .where(*conditions)
        .order_by(RectificationTask.due_at, RectificationTask.id)
        .offset(offset)
        .limit(limit)
    )
    return TaskPage(list(rows), total, applied)


def _conditions(wanted: TaskFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        RectificationTask.status == wanted.status
        if wanted.status is not None
        else RectificationTask.status.in_(UNFINISHED)
    ]
    if wanted.unit is not None:
        conditions.append(RectificationTask.unit_id == wanted.unit)
    if wanted.district is not None:
        conditions.append(RectificationTask.district == wanted.district)
    if wanted.overdue:
        conditions += [RectificationTask.status.in_(OPEN), RectificationTask.due_at < now]
    return conditions


async def units_with_tasks(session: AsyncSession) -> list[str]:
    """Units that have unfinished tasks (the staff's unit filter offers these)."""
    rows = await session.scalars(
        select(RectificationTask.unit_id)
        .where(RectificationTask.status.in_(UNFINISHED))
        .group_by(RectificationTask.unit_id)
        .order_by(RectificationTask.unit_id)
    )
    return list(rows)


async def task_detail(session: AsyncSession, actor: Actor, task_id: int) -> TaskDetail:
    """A task with its failed item and history, for its unit's members, inspectors and staff."""
    task = await task_of(session, task_id)
    if not (actor.is_inspector or is_member(actor, task.unit_id)):
        raise InspectionNotFound(InspectionProblem.TASK_NOT_FOUND)  # another unit's: as if absent
    return TaskDetail(task, await item_of(session, task), await events_of(session, task.id))


async def recent_inspections(
    session: AsyncSession, since: datetime, until: datetime, limit: int
) -> list[Inspection]:
    """The latest submitted inspections in [since, until), newest first."""
    rows = await session.scalars(
        select(Inspection)
        .where(
            Inspection.status == InspectionStatus.SUBMITTED,
            Inspection.submitted_at >= since,
            Inspection.submitted_at < until,
        )
        .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
        .limit(limit)
    )
    return list(rows)


async def overdue_tasks(session: AsyncSession, now: datetime, limit: int) -> list[RectificationTask]:
    """Open tasks past their deadline, longest overdue first."""
    rows = await session.scalars(
        select(RectificationTask)
        .where(RectificationTask.status.in_(OPEN), RectificationTask.due_at < now)
        .order_by(RectificationTask.due_at, RectificationTask.id)
        .limit(limit)
    )
    return list(rows)
