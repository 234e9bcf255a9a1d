"""Rectification tasks (整改): issued from a submitted inspection's failed items, answered by the
responsible unit, re-checked by an inspector or campaign staff, with a time limit like tickets'.

- A unit's members are its handlers (``Role.HANDLER`` with ``department`` = the unit's id); only they
  answer its tasks. Who inspected is never part of what a unit is given.
- Deadlines by severity: 负面清单 items get ``Deadlines.negative_hours``, the others
  ``Deadlines.other_hours`` (settings). A return sets a new deadline and starts a new round.
- Each round has one 75 % warning and one 督办 (scheduled tasks keyed by task and round); each
  fires at most once and only while the task is still the unit's to do.
- On time: the latest answer came by the deadline then in force (``replied_on_time``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import (
    Inspection,
    InspectionItem,
    RectificationAction,
    RectificationEvent,
    RectificationStatus,
    RectificationTask,
    Role,
)
from bot.models.inspections import RECTIFICATION_TRANSITIONS, rectification_allowed
from bot.services import audit, checked_text
from bot.services.inspections.errors import (
    InspectionError,
    InspectionNotFound,
    InspectionProblem,
    NotAllowed,
)
from bot.services.users import Actor

WARN_KIND = "rect-warn"
OVERDUE_KIND = "rect-overdue"
WARN_FRACTION = 0.75  # of the time limit, when the unit is reminded
RETURN_HOURS = (24, 72, 168)  # the new deadlines offered when a task is returned
MAX_REPLY_PHOTOS = 3
REPLY_LIMIT = 300  # characters of a unit's note
REASON_LIMIT = 200  # characters of a return's reason


@dataclass(frozen=True)
class Deadlines:
    """Hours to rectify, by severity (from the settings)."""

    negative_hours: float  # 负面清单
    other_hours: float

    def hours(self, negative: bool) -> float:
        return self.negative_hours if negative else self.other_hours


def task_keys(task: RectificationTask) -> tuple[str, str]:
    """The warning and 督办 task keys of the task's current round."""
    return f"{WARN_KIND}:{task.id}:{task.round}", f"{OVERDUE_KIND}:{task.id}:{task.round}"


def is_member(actor: Actor, unit_id: str) -> bool:
    """A handler of the unit (a department's handlers are its members; a community's likewise)."""
    return actor.role is Role.HANDLER and actor.department == unit_id


# ---------------------------------------------------------------- issuing
async def issue_tasks(
    session: AsyncSession,
    inspection: Inspection,
    failed: Sequence[InspectionItem],
    deadlines: Deadlines,
    now: datetime,
) -> list[RectificationTask]:
    """One task per failed item, due by severity, with its warning and 督办 scheduled."""
    tasks = []
    for item in failed:
        due = now + timedelta(hours=deadlines.hours(item.negative))
        task = RectificationTask(
            inspection_id=inspection.id,
            inspection_item_id=item.id,
            site_id=inspection.site_id,
            district=inspection.district,
            unit_id=item.unit_id,
            item_id=item.item_id,
            negative=item.negative,
            status=RectificationStatus.PENDING,
            round=0,
            first_due_at=due,
            due_at=due,
            reply_photos=[],
            escalations=0,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        tasks.append(task)
    await session.flush()
    for task in tasks:
        session.add(
            RectificationEvent(task_id=task.id, kind="issued", round=0, due_at=task.due_at, created_at=now)
        )
        await _schedule_limits(session, task, now)
    return tasks


async def _schedule_limits(session: AsyncSession, task: RectificationTask, now: datetime) -> None:
    warn_key, overdue_key = task_keys(task)
    span = task.due_at - now
    payload = {"task": task.id, "round": task.round}
    await scheduler.schedule(session, warn_key, WARN_KIND, now + span * WARN_FRACTION, payload)
    await scheduler.schedule(session, overdue_key, OVERDUE_KIND, task.due_at, payload)


async def _cancel_limits(session: AsyncSession, task: RectificationTask) -> None:
    for key in task_keys(task):
        await scheduler.cancel(session, key)


# ---------------------------------------------------------------- reading
async def task_of(session: AsyncSession, task_id: int, *, lock: bool = False) -> RectificationTask:
    task = await session.get(RectificationTask, task_id, with_for_update=lock, populate_existing=lock)
    if task is None:
        raise InspectionNotFound(InspectionProblem.TASK_NOT_FOUND)
    return task


async def item_of(session: AsyncSession, task: RectificationTask) -> InspectionItem:
    item = await session.get(InspectionItem, task.inspection_item_id)
    assert item is not None  # the task's item row is deleted only with it (CASCADE)
    return item


async def inspector_of(session: AsyncSession, task: RectificationTask) -> int | None:
    """Who inspected (for the re-check card sent to them; never shown to the unit)."""
    return await session.scalar(select(Inspection.inspector_id).where(Inspection.id == task.inspection_id))


async def events_of(session: AsyncSession, task_id: int) -> list[RectificationEvent]:
    rows = await session.scalars(
        select(RectificationEvent)
        .where(RectificationEvent.task_id == task_id)
        .order_by(RectificationEvent.id)
    )
    return list(rows)


# ---------------------------------------------------------------- the unit answers
async def check_reply(session: AsyncSession, task_id: int, actor: Actor) -> RectificationTask:
    """整改回复 pressed: the task is the actor's unit's and still open (checked again on the answer)."""
    task = await task_of(session, task_id)
    if not is_member(actor, task.unit_id):
        raise NotAllowed(InspectionProblem.TASK_NOT_YOURS)
    _require_status(task, RectificationAction.REPLY)
    return task


async def reply(
    session: AsyncSession,
    task_id: int,
    actor: Actor,
    photos: Sequence[str],
    note: str,
    now: datetime,
) -> RectificationTask:
    """The unit's after-photo and note: 待复查. Late or not is recorded against the deadline in force."""
    task = await task_of(session, task_id, lock=True)
    if not is_member(actor, task.unit_id):
        raise NotAllowed(InspectionProblem.TASK_NOT_YOURS)
    _require_status(task, RectificationAction.REPLY)
    if not photos:
        raise InspectionError(InspectionProblem.REPLY_PHOTO_REQUIRED)
    cleaned = check_reply_note(note)
    task.status = _target(RectificationAction.REPLY)
    task.reply_note, task.reply_photos = cleaned, list(photos[:MAX_REPLY_PHOTOS])
    task.replied_by, task.replied_at = actor.user_id, now
    task.replied_on_time = now <= task.due_at
    task.updated_at = now
    session.add(
        RectificationEvent(
            task_id=task.id,
            kind=RectificationAction.REPLY.value,
            round=task.round,
            actor_id=actor.user_id,
            note=cleaned,
            photos=list(task.reply_photos),
            created_at=now,
        )
    )
    await _cancel_limits(session, task)  # answered: no warning; 督办 only chases the unanswered
    await audit.record(session, actor.user_id, "rect.replied", str(task.id), on_time=task.replied_on_time)
    return task


def check_reply_note(text: str) -> str:
    return checked_text(
        text,
        REPLY_LIMIT,
        refuse=InspectionError,
        empty=InspectionProblem.NOTE_EMPTY,
        too_long=InspectionProblem.NOTE_TOO_LONG,
    )


def check_reason(text: str) -> str:
    return checked_text(
        text,
        REASON_LIMIT,
        refuse=InspectionError,
        empty=InspectionProblem.REASON_EMPTY,
        too_long=InspectionProblem.REASON_TOO_LONG,
    )


# ---------------------------------------------------------------- the re-check
async def check_recheck(
    session: AsyncSession, task_id: int, round_: int, actor: Actor, *, lock: bool = False
) -> RectificationTask:
    """An inspector or campaign staff may re-check a task waiting for it, from this round's card."""
    if not actor.is_inspector:
        raise NotAllowed(InspectionProblem.NOT_INSPECTOR)
    task = await task_of(session, task_id, lock=lock)
    if task.round != round_:
        raise InspectionError(InspectionProblem.TASK_STALE, number=task.id)
    _require_status(task, RectificationAction.PASS)
    return task


async def recheck_pass(
    session: AsyncSession, task_id: int, round_: int, actor: Actor, now: datetime
) -> RectificationTask:
    """复查通过: closed."""
    task = await check_recheck(session, task_id, round_, actor, lock=True)
    task.status = _target(RectificationAction.PASS)
    task.checked_by, task.checked_at, task.passed_at = actor.user_id, now, now
    task.updated_at = now
    session.add(
        RectificationEvent(
            task_id=task.id,
            kind=RectificationAction.PASS.value,
            round=task.round,
            actor_id=actor.user_id,
            created_at=now,
        )
    )
    await audit.record(session, actor.user_id, "rect.passed", str(task.id))
    return task


async def recheck_return(
    session: AsyncSession,
    task_id: int,
    round_: int,
    actor: Actor,
    reason: str,
    hours: int,
    now: datetime,
) -> RectificationTask:
    """复查退回: the unit's again, with the reason and a new deadline (a new round of reminders)."""
    if hours not in RETURN_HOURS:
        raise InspectionError(InspectionProblem.BAD_DEADLINE, hours=hours)
    cleaned = check_reason(reason)
    task = await check_recheck(session, task_id, round_, actor, lock=True)
    task.status = _target(RectificationAction.RETURN)
    task.checked_by, task.checked_at = actor.user_id, now
    task.return_reason = cleaned
    task.round += 1
    task.due_at = now + timedelta(hours=hours)
    task.warned_at = task.escalated_at = None
    task.updated_at = now
    session.add(
        RectificationEvent(
            task_id=task.id,
            kind=RectificationAction.RETURN.value,
            round=task.round,
            actor_id=actor.user_id,
            note=cleaned,
            due_at=task.due_at,
            created_at=now,
        )
    )
    await session.flush()
    await _schedule_limits(session, task, now)
    await audit.record(session, actor.user_id, "rect.returned", str(task.id), hours=hours)
    return task


def _require_status(task: RectificationTask, action: RectificationAction) -> None:
    if not rectification_allowed(action, task.status):
        raise InspectionError(InspectionProblem.TASK_WRONG_STATUS, number=task.id, status=task.status)


def _target(action: RectificationAction) -> RectificationStatus:
    return RECTIFICATION_TRANSITIONS[action][1]


# ---------------------------------------------------------------- when a time-limit task comes due
async def due_for_warning(
    session: AsyncSession, task_id: int, round_: int, now: datetime
) -> RectificationTask | None:
    """The task when its 75 % warning still makes sense (open, this round, not yet due); recorded."""
    task = await session.get(RectificationTask, task_id, with_for_update=True)
    if (
        task is None
        or task.round != round_
        or not task.status.is_open
        or task.due_at <= now
        or task.warned_at is not None
    ):
        return None
    task.warned_at = now
    session.add(RectificationEvent(task_id=task.id, kind="warned", round=task.round, created_at=now))
    return task


async def due_for_escalation(
    session: AsyncSession, task_id: int, round_: int, now: datetime
) -> RectificationTask | None:
    """The task when it is open and past its deadline in this round (督办); recorded once."""
    task = await session.get(RectificationTask, task_id, with_for_update=True)
    if (
        task is None
        or task.round != round_
        or not task.status.is_open
        or task.due_at > now
        or task.escalated_at is not None
    ):
        return None
    task.escalated_at = now
    task.escalations += 1
    session.add(RectificationEvent(task_id=task.id, kind="escalated", round=task.round, created_at=now))
    await audit.record(session, None, "rect.escalated", str(task.id), unit=task.unit_id)
    return task
