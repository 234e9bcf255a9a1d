"""The volunteers' scheduled tasks: a booking's 24 h and 1 h reminders, and closing a shift after its end.

Tasks are rows under fixed keys (``bot.scheduler``), so moving a shift or booking again replaces them
instead of piling them up; ``bot.services.volunteers.tasks`` decides what a task does when it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import ScheduledTask, Shift, ShiftBooking, TaskStatus

REMINDER_KIND = "volunteer.reminder"
CLOSE_KIND = "volunteer.close_shift"
REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
CHECKIN_EARLY = timedelta(minutes=30)  # check-in opens this long before the start
CHECKOUT_GRACE = timedelta(hours=1)  # check-out stays open this long after the end; then the shift closes


def reminder_prefix(booking_id: int) -> str:
    return f"shift-reminder:{booking_id}:"


def close_key(shift_id: int) -> str:
    return f"shift-close:{shift_id}"


async def schedule_closing(session: AsyncSession, shift: Shift) -> None:
    """(Re)schedule the closing of ``shift``: no-shows and open check-ins, once check-out has closed."""
    await _replace_task(session, close_key(shift.id), CLOSE_KIND, shift.ends_at + CHECKOUT_GRACE, shift.id)


async def _replace_task(session: AsyncSession, key: str, kind: str, due_at: datetime, shift_id: int) -> None:
    """Schedule a task afresh under a fixed key: a finished or cancelled row with that key is removed."""
    await session.execute(
        delete(ScheduledTask).where(ScheduledTask.key == key, ScheduledTask.status != TaskStatus.RUNNING)
    )
    await scheduler.schedule(session, key, kind, due_at, {"shift_id": shift_id})


async def schedule_reminders(
    session: AsyncSession, booking: ShiftBooking, shift: Shift, now: datetime
) -> tuple[str, ...]:
    """(Re)schedule the 24 h and 1 h reminders that are still in the future; the labels scheduled.

    The keys are fixed per booking, so an old row under the same key (cancelled with an earlier booking,
    or sent before the shift was moved, or left by a deleted booking whose id SQLite reused) is removed
    first. A reminder whose time has passed is not scheduled, so none is sent twice.
    """
    keys = {label: f"{reminder_prefix(booking.id)}{label}" for label in REMINDERS}
    await session.execute(
        delete(ScheduledTask).where(
            ScheduledTask.key.in_(list(keys.values())), ScheduledTask.status != TaskStatus.RUNNING
        )
    )
    scheduled = []
    for label, before in REMINDERS.items():
        due = shift.starts_at - before
        if due > now:
            payload = {"booking_id": booking.id, "which": label}
            await scheduler.schedule(session, keys[label], REMINDER_KIND, due, payload)
            scheduled.append(label)
    return tuple(scheduled)


async def cancel_reminders(session: AsyncSession, booking_id: int) -> None:
    await scheduler.cancel(session, key_prefix=reminder_prefix(booking_id))


async def cancel_closing(session: AsyncSession, shift_id: int) -> None:
    await scheduler.cancel(session, close_key(shift_id))


async def delete_reminders(session: AsyncSession, booking_id: int) -> None:
    """Remove a booking's reminder rows altogether (they say nothing personal, but their keys would
    outlive a forgotten volunteer's bookings)."""
    await session.execute(
        delete(ScheduledTask).where(
            ScheduledTask.key.startswith(reminder_prefix(booking_id), autoescape=True),
            ScheduledTask.status != TaskStatus.RUNNING,
        )
    )
