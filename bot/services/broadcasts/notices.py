"""A notice's life: stored when confirmed, started or scheduled, fired per occurrence, paused, resumed,
cancelled, finished when nothing is left to send; the counts staff see; personal data.

Sending itself is the sender's job (``bot.broadcast_delivery`` is its broadcast source); this module
decides *who* gets *what* and *when*, and keeps the statuses honest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import (
    AudienceKind,
    Broadcast,
    BroadcastRate,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    ScheduleKind,
)
from bot.models.broadcasts import BROADCAST_TRANSITIONS
from bot.services import audit
from bot.services.broadcasts.audiences import audience_filter, materialise
from bot.services.broadcasts.errors import BroadcastError, BroadcastProblem, broadcast_not_found
from bot.services.broadcasts.html import validate_html
from bot.services.broadcasts.schedules import RECURRING, Schedule, next_occurrence, parse_hhmm, task_key
from bot.services.users import Actor, require_campaign_staff
from bot.timeutil import DEFAULT_TZ, utcnow

TASK_KIND = "broadcast"


async def _schedule_next(session: AsyncSession, broadcast: Broadcast, after: datetime, tz: ZoneInfo) -> None:
    schedule = Schedule(broadcast.schedule_kind, broadcast.send_at, broadcast.send_time, broadcast.weekday)
    occurrence, due = next_occurrence(schedule, after, tz)
    broadcast.next_run_at = due
    await scheduler.schedule(
        session,
        task_key(broadcast.id, occurrence),
        TASK_KIND,
        due,
        {"broadcast_id": broadcast.id, "occurrence": occurrence},
    )


def _move(broadcast: Broadcast, to: BroadcastStatus) -> None:
    if to not in BROADCAST_TRANSITIONS[broadcast.status]:
        raise BroadcastError(BroadcastProblem.BAD_TRANSITION, status=broadcast.status.value)
    broadcast.status = to


async def create(
    session: AsyncSession,
    actor: Actor,
    *,
    text: str,
    photo_file_id: str | None,
    audience_kind: AudienceKind,
    audience_param: str | None,
    schedule: Schedule,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
) -> Broadcast:
    """Store a confirmed notice and start it (now) or schedule it; audit-logged."""
    require_campaign_staff(actor)
    return await _create(
        session,
        actor.user_id,
        text=text,
        photo_file_id=photo_file_id,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule=schedule,
        tz=tz,
        now=now,
    )


async def create_system_notice(
    session: AsyncSession,
    *,
    source: str,
    text: str,
    audience_kind: AudienceKind,
    audience_param: str | None,
    now: datetime | None = None,
) -> Broadcast:
    """A notice the bot itself sends now (no person behind it, e.g. the daily convention article).

    Only code calls this, never a handler on behalf of a user, so there is no staff check; the notice
    is stored with ``created_by`` None and audit-logged with actor None and ``system=source``. People
    always go through ``create`` and its staff check.
    """
    return await _create(
        session,
        None,
        text=text,
        photo_file_id=None,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule=Schedule(ScheduleKind.NOW),
        now=now,
        system=source,
    )


async def _create(
    session: AsyncSession,
    created_by: int | None,
    *,
    text: str,
    photo_file_id: str | None,
    audience_kind: AudienceKind,
    audience_param: str | None,
    schedule: Schedule,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
    system: str | None = None,
) -> Broadcast:
    now = now or utcnow()
    text = validate_html(text, caption=photo_file_id is not None)
    audience_filter(audience_kind, audience_param)  # unknown audience or missing module: fail now
    if schedule.kind is ScheduleKind.AT and (schedule.send_at is None or schedule.send_at <= now):
        raise BroadcastError(BroadcastProblem.TIME_PAST)
    if schedule.kind in RECURRING:
        parse_hhmm(schedule.send_time or "")
        if schedule.kind is ScheduleKind.WEEKLY and schedule.weekday not in range(7):
            raise BroadcastError(BroadcastProblem.BAD_TIME)
    broadcast = Broadcast(
        text=text,
        photo_file_id=photo_file_id,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule_kind=schedule.kind,
        send_at=schedule.send_at,
        send_time=schedule.send_time,
        weekday=schedule.weekday if schedule.kind is ScheduleKind.WEEKLY else None,
        status=BroadcastStatus.DRAFT,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(broadcast)
    await session.flush()
    if schedule.kind is ScheduleKind.NOW:
        await start_occurrence(session, broadcast, 0)
    elif schedule.kind is ScheduleKind.AT:
        assert schedule.send_at is not None
        _move(broadcast, BroadcastStatus.SCHEDULED)
        broadcast.next_run_at = schedule.send_at
        await scheduler.schedule(
            session,
            task_key(broadcast.id, 0),
            TASK_KIND,
            schedule.send_at,
            {"broadcast_id": broadcast.id, "occurrence": 0},
        )
    else:
        _move(broadcast, BroadcastStatus.SCHEDULED)
        await _schedule_next(session, broadcast, now, tz)
    details: dict[str, Any] = {"system": system} if system else {}
    await audit.record(
        session,
        created_by,
        "broadcast.create",
        f"broadcast:{broadcast.id}",
        audience=audience_kind.value,
        param=audience_param,
        schedule=schedule.kind.value,
        **details,
    )
    return broadcast


async def start_occurrence(session: AsyncSession, broadcast: Broadcast, occurrence: int) -> int:
    count = await materialise(session, broadcast, occurrence)
    broadcast.last_occurrence = occurrence
    if broadcast.status is not BroadcastStatus.RUNNING:
        _move(broadcast, BroadcastStatus.RUNNING)
    if count == 0 and not await pending_count_for(session, broadcast.id, open_only=True):
        # Nobody to send to (everyone opted out or blocked us): done at once, not "running".
        _move(
            broadcast,
            BroadcastStatus.SCHEDULED if broadcast.schedule_kind in RECURRING else BroadcastStatus.FINISHED,
        )
    return count


async def fire(
    session: AsyncSession,
    broadcast_id: int,
    occurrence: int,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
) -> int:
    """A scheduled occurrence is due (called once per occurrence by the scheduler task)."""
    now = now or utcnow()
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None or broadcast.status in (BroadcastStatus.CANCELLED, BroadcastStatus.FINISHED):
        return 0
    if broadcast.last_occurrence is not None and occurrence <= broadcast.last_occurrence:
        return 0  # this occurrence already fired (a retry, or a second process)
    recurring = broadcast.schedule_kind in RECURRING
    count = 0
    if broadcast.status is BroadcastStatus.PAUSED:
        broadcast.last_occurrence = occurrence  # recurring: this one is skipped while paused
        if not recurring:  # a one-off fired while paused: prepared, sent on resume
            count = await materialise(session, broadcast, occurrence)
    else:
        count = await start_occurrence(session, broadcast, occurrence)
    if recurring:
        await _schedule_next(session, broadcast, max(now, broadcast.next_run_at or now), tz)
    else:
        broadcast.next_run_at = None
    return count


async def complete_occurrences(session: AsyncSession, now: datetime) -> int:
    """Running notices with nothing left to send: finished, or back to scheduled when recurring."""
    open_deliveries = (
        select(Delivery.id)
        .where(
            Delivery.broadcast_id == Broadcast.id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
        .exists()
    )
    done = list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.RUNNING, ~open_deliveries)
            .with_for_update()
        )
    )
    for broadcast in done:
        broadcast.status = (
            BroadcastStatus.SCHEDULED if broadcast.schedule_kind in RECURRING else BroadcastStatus.FINISHED
        )
        broadcast.updated_at = now
    return len(done)


async def pending_count(session: AsyncSession, *, running_only: bool = False) -> int:
    query = select(func.count(Delivery.id)).where(
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED])
    )
    if running_only:
        query = query.join(Broadcast, Broadcast.id == Delivery.broadcast_id).where(
            Broadcast.status == BroadcastStatus.RUNNING
        )
    return int(await session.scalar(query) or 0)


async def pending_count_for(session: AsyncSession, broadcast_id: int, *, open_only: bool = False) -> int:
    """Deliveries of a notice (all of them, or only those still to send)."""
    query = select(func.count(Delivery.id)).where(Delivery.broadcast_id == broadcast_id)
    if open_only:
        query = query.where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]))
    return int(await session.scalar(query) or 0)


async def _get(session: AsyncSession, broadcast_id: int) -> Broadcast:
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None:
        raise broadcast_not_found()
    return broadcast


async def pause(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    _move(broadcast, BroadcastStatus.PAUSED)
    await audit.record(session, actor.user_id, "broadcast.pause", f"broadcast:{broadcast_id}")
    return broadcast


async def resume(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    """Continue where it stopped: running if deliveries wait, else scheduled (or finished)."""
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    if broadcast.status is not BroadcastStatus.PAUSED:
        raise BroadcastError(BroadcastProblem.BAD_TRANSITION, status=broadcast.status.value)
    waiting = await session.scalar(
        select(func.count(Delivery.id)).where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
    )
    if waiting:
        broadcast.status = BroadcastStatus.RUNNING
    elif broadcast.next_run_at is not None:
        broadcast.status = BroadcastStatus.SCHEDULED
    else:
        broadcast.status = BroadcastStatus.FINISHED
    await audit.record(session, actor.user_id, "broadcast.resume", f"broadcast:{broadcast_id}")
    return broadcast


async def cancel(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    """Stop for good: no further sends, future occurrences cancelled."""
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    _move(broadcast, BroadcastStatus.CANCELLED)
    broadcast.next_run_at = None
    await scheduler.cancel(session, key_prefix=f"broadcast:{broadcast_id}:")
    await audit.record(session, actor.user_id, "broadcast.cancel", f"broadcast:{broadcast_id}")
    return broadcast


@dataclass(frozen=True)
class BroadcastSummary:
    broadcast: Broadcast
    counts: dict[DeliveryStatus, int]

    @property
    def sent(self) -> int:
        return self.counts.get(DeliveryStatus.SENT, 0)

    @property
    def pending(self) -> int:
        return self.counts.get(DeliveryStatus.PENDING, 0) + self.counts.get(DeliveryStatus.CLAIMED, 0)

    @property
    def failed(self) -> int:
        return self.counts.get(DeliveryStatus.FAILED, 0)

    @property
    def unreachable(self) -> int:
        return self.counts.get(DeliveryStatus.UNREACHABLE, 0)


async def counts_by_status(
    session: AsyncSession, broadcast_ids: Sequence[int]
) -> dict[int, dict[DeliveryStatus, int]]:
    result: dict[int, dict[DeliveryStatus, int]] = {i: {} for i in broadcast_ids}
    if not broadcast_ids:
        return result
    rows = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, func.count(Delivery.id))
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    for broadcast_id, status, count in rows:
        result[broadcast_id][DeliveryStatus(status)] = int(count)
    return result


async def summaries(session: AsyncSession, limit: int = 10) -> list[BroadcastSummary]:
    """The latest notices (scheduled, running, finished…) with their delivery counts."""
    broadcasts = list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.status != BroadcastStatus.DRAFT)
            .order_by(Broadcast.id.desc())
            .limit(limit)
        )
    )
    counts = await counts_by_status(session, [b.id for b in broadcasts])
    return [BroadcastSummary(b, counts[b.id]) for b in broadcasts]


async def summary(session: AsyncSession, broadcast_id: int) -> BroadcastSummary:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise broadcast_not_found()
    return BroadcastSummary(broadcast, (await counts_by_status(session, [broadcast_id]))[broadcast_id])


async def ensure_rate_row(session: AsyncSession) -> None:
    """The single pace row of the delivery engine (created on first use, race-free)."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert_fn(BroadcastRate).values(id=1, next_slot=0.0, paused_until=0.0).on_conflict_do_nothing()
    )


# ---------------------------------------------------------------- personal data
async def export_user(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, Delivery.sent_at).where(Delivery.user_id == user_id)
    )
    return [
        {"broadcast": b, "status": DeliveryStatus(s).value, "sent_at": t.isoformat() if t else None}
        for b, s, t in rows
    ]


async def erase_user(session: AsyncSession, user_id: int) -> None:
    """Forget who received what: pending ones are dropped, past ones anonymised (counts stay)."""
    await session.execute(
        delete(Delivery).where(
            Delivery.user_id == user_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
    )
    await session.execute(
        update(Delivery).where(Delivery.user_id == user_id).values(user_id=0, chat_id=-Delivery.id)
    )
