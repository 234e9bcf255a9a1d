"""Staff changes to a published shift: editing it and cancelling it, and who is to be told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus
from bot.models.volunteers import can_transition
from bot.services import audit
from bot.services.volunteers.bookings import fill_from_waitlist
from bot.services.volunteers.errors import AlreadyDone, InvalidInput, ShiftUnavailable, VolunteerProblem
from bot.services.volunteers.inputs import check_capacity, check_shift_times
from bot.services.volunteers.schedule import (
    cancel_closing,
    cancel_reminders,
    schedule_closing,
    schedule_reminders,
)
from bot.services.volunteers.shifts import PLACE_HOLDING, active_bookings, count_bookings, lock_shift
from bot.timeutil import utcnow

EDITABLE = frozenset({"title", "place", "notes", "starts_at", "ends_at", "capacity", "latitude", "longitude"})


@dataclass
class ShiftChange:
    """What an edit or a cancellation did, for the handler to tell people."""

    shift: Shift
    notify_user_ids: list[int]
    promoted: list[ShiftBooking] = field(default_factory=list)


async def edit_shift(
    session: AsyncSession,
    actor_id: int,
    shift_id: int,
    *,
    now: datetime | None = None,
    **changes: Any,
) -> ShiftChange:
    """Change title, place, notes, times or capacity; booked and waitlisted volunteers are to be told."""
    now = now or utcnow()
    shift = await lock_shift(session, shift_id)
    if shift.status is not ShiftStatus.ACTIVE or shift.starts_at <= now:
        raise ShiftUnavailable(VolunteerProblem.SHIFT_NOT_EDITABLE)
    if set(changes) - EDITABLE:
        raise ValueError(f"unknown shift fields {set(changes) - EDITABLE}")
    starts_at = changes.get("starts_at", shift.starts_at)
    ends_at = changes.get("ends_at", shift.ends_at)
    times_changed = starts_at != shift.starts_at or ends_at != shift.ends_at
    if times_changed:
        check_shift_times(starts_at, ends_at, now)
    promoted: list[ShiftBooking] = []
    if "capacity" in changes:
        capacity = check_capacity(int(changes["capacity"]))
        booked = await count_bookings(session, shift.id, PLACE_HOLDING)
        if capacity < booked:
            raise InvalidInput(VolunteerProblem.CAPACITY_BELOW_BOOKED, booked=booked)
    before = {name: _jsonable(getattr(shift, name)) for name in changes}
    for name, value in changes.items():
        setattr(shift, name, value)
    shift.updated_at = now
    await session.flush()
    bookings = await active_bookings(session, shift.id)
    if times_changed:
        await schedule_closing(session, shift)
        for booking in bookings:
            if booking.status is BookingStatus.CONFIRMED:
                await schedule_reminders(session, booking, shift, now)
    if "capacity" in changes:
        promoted = await fill_from_waitlist(session, shift, now)
    await audit.record(
        session,
        actor_id,
        "volunteer.shift.edit",
        str(shift.id),
        before=before,
        after={name: _jsonable(value) for name, value in changes.items()},
    )
    promoted_ids = {b.id for b in promoted}
    return ShiftChange(shift, [b.user_id for b in bookings if b.id not in promoted_ids], promoted)


async def cancel_shift(
    session: AsyncSession, actor_id: int, shift_id: int, now: datetime | None = None
) -> ShiftChange:
    """Cancel a shift: every booking and waitlist entry is cancelled, reminders too."""
    shift = await lock_shift(session, shift_id)
    if not can_transition(shift.status, ShiftStatus.CANCELLED):
        raise AlreadyDone(VolunteerProblem.SHIFT_ALREADY_CANCELLED)
    now = now or utcnow()
    shift.status = ShiftStatus.CANCELLED
    shift.updated_at = now
    bookings = await active_bookings(session, shift.id)
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.updated_at = now
        await cancel_reminders(session, booking.id)
    await cancel_closing(session, shift.id)
    await audit.record(session, actor_id, "volunteer.shift.cancel", str(shift.id), notified=len(bookings))
    await session.flush()
    return ShiftChange(shift, [b.user_id for b in bookings])


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
