"""When the report goes out by itself: the month's on the 1st at 09:00, the quarter's on the first
day of the next quarter at 09:00 (local time), through the durable scheduler (fires once)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.services.reports.core import Period, PeriodKind
from bot.timeutil import DEFAULT_TZ

TASK_KIND = "report.send"
SEND_HOUR = 9


def task_key(period: Period) -> str:
    return f"report:{period.kind.value}:{period.key}"


def due_at(period: Period) -> datetime:
    """09:00 local on the first day after the period."""
    return (period.local_end + timedelta(hours=SEND_HOUR)).astimezone(UTC)


async def schedule_report(session: AsyncSession, period: Period) -> bool:
    """Idempotent: the key names the period, so each period's report is stored (and sent) once."""
    payload = {"kind": period.kind.value, "period": period.key}
    return await scheduler.schedule(session, task_key(period), TASK_KIND, due_at(period), payload)


async def schedule_upcoming(session: AsyncSession, now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> list[Period]:
    """At start-up: make sure the next month and quarter reports have their (once-only) task.

    Only a report still to come is added here (a first deployment does not send an old report out
    of the blue). Each sent report schedules the next one, so a task whose 09:00 passed while the
    bot was down already exists and is sent when it starts, once, because its key exists.
    """
    added = []
    for kind in PeriodKind:
        period = Period.last_complete(kind, now, tz)
        if due_at(period) <= now:
            period = period.next()
        if await schedule_report(session, period):
            added.append(period)
    return added


def period_of_task(payload: dict[str, object], tz: ZoneInfo = DEFAULT_TZ) -> Period:
    """The period a task's payload names (the task is due once its period has ended)."""
    return Period.from_key(PeriodKind(str(payload["kind"])), str(payload["period"]), tz)
