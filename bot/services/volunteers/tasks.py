"""What the volunteers' scheduled tasks do when they run: send a reminder (if it still applies), close a shift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus
from bot.services.volunteers.attendance import complete
from bot.services.volunteers.schedule import REMINDERS
from bot.services.volunteers.shifts import active_bookings, lock_shift
from bot.timeutil import utcnow


@dataclass
class Reminder:
    user_id: int
    shift: Shift
    which: str  # a key of REMINDERS


async def reminder_to_send(
    session: AsyncSession, booking_id: int, which: str, due_at: datetime, now: datetime | None = None
) -> Reminder | None:
    """The reminder for a task, or None when it no longer applies (cancelled, past, or far too late)."""
    now = now or utcnow()
    booking = await session.get(ShiftBooking, booking_id)
    if booking is None or booking.status is not BookingStatus.CONFIRMED:
        return None
    shift = await session.get(Shift, booking.shift_id)
    if shift is None or shift.status is not ShiftStatus.ACTIVE or shift.starts_at <= now:
        return None
    # Fired long after its time (the bot was down): a "24 h" reminder 20 h late would mislead.
    if scheduler.stale(due_at, now, REMINDERS.get(which, timedelta(hours=1)) / 2):
        return None
    return Reminder(booking.user_id, shift, which)


@dataclass
class ClosedShift:
    shift: Shift
    no_show_user_ids: list[int]
    completed: int


async def close_shift(
    session: AsyncSession, shift_id: int, now: datetime | None = None
) -> ClosedShift | None:
    """After the end (plus the check-out grace): no check-in → no-show; no check-out → out at the end."""
    now = now or utcnow()
    shift = await session.get(Shift, shift_id)
    if shift is None or shift.status is not ShiftStatus.ACTIVE:
        return None
    shift = await lock_shift(session, shift_id)
    no_shows: list[int] = []
    completed = 0
    for booking in await active_bookings(session, shift.id):
        booking.updated_at = now
        if booking.status is BookingStatus.WAITLISTED:
            booking.status = BookingStatus.CANCELLED
        elif booking.checked_in_at is None:
            booking.status = BookingStatus.NO_SHOW
            no_shows.append(booking.user_id)
        else:
            complete(booking, shift, shift.ends_at)
            completed += 1
    await session.flush()
    return ClosedShift(shift, no_shows, completed)
