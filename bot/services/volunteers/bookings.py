"""Bookings: taking a place or joining the waitlist, cancelling, promotion from the waitlist.

Booking is race-free: it locks the shift row (``shifts.lock_shift``) and then the volunteer, counts,
then writes. Arrival order is the order in which transactions get that lock; it is stored as
``ShiftBooking.position`` and orders the waitlist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus, User
from bot.models.volunteers import ACTIVE_BOOKING_STATUSES, can_transition
from bot.services.volunteers.errors import (
    AlreadyDone,
    ShiftClash,
    ShiftUnavailable,
    VolunteerError,
    VolunteerProblem,
    booking_not_found,
)
from bot.services.volunteers.profiles import require_profile
from bot.services.volunteers.schedule import CHECKOUT_GRACE, cancel_reminders, schedule_reminders
from bot.services.volunteers.shifts import count_bookings, get_shift, lock_shift, waitlist_rank
from bot.timeutil import utcnow

_ALREADY = {
    BookingStatus.CONFIRMED: VolunteerProblem.ALREADY_BOOKED,
    BookingStatus.WAITLISTED: VolunteerProblem.ALREADY_WAITLISTED,
}


@dataclass
class BookingResult:
    booking: ShiftBooking
    shift: Shift
    waitlist_rank: int | None = None  # None when confirmed
    reminders: tuple[str, ...] = ()  # the REMINDERS labels that will be sent ("24h", "1h")

    @property
    def waitlisted(self) -> bool:
        return self.waitlist_rank is not None


async def book(
    session: AsyncSession, user_id: int, shift_id: int, now: datetime | None = None
) -> BookingResult:
    """Take a place, or join the waitlist when the shift is full. Race-free (see module docstring)."""
    now = now or utcnow()
    await require_profile(session, user_id)
    shift = await lock_shift(session, shift_id)
    # Lock the volunteer too (PostgreSQL), so two tabs booking two overlapping shifts cannot both win.
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
    if shift.status is not ShiftStatus.ACTIVE:
        raise ShiftUnavailable(VolunteerProblem.SHIFT_CANCELLED)
    if shift.starts_at <= now:
        raise ShiftUnavailable(VolunteerProblem.SHIFT_STARTED)
    booking = await session.scalar(
        select(ShiftBooking)
        .where(ShiftBooking.shift_id == shift.id, ShiftBooking.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    if booking is not None and booking.status is not BookingStatus.CANCELLED:
        raise AlreadyDone(_ALREADY.get(booking.status, VolunteerProblem.ALREADY_FINISHED))
    clash = await _overlapping(session, user_id, shift)
    if clash is not None:
        raise ShiftClash(clash)
    # Places taken and the last arrival number, in one query (the shift row is locked).
    confirmed, last_position = (
        await session.execute(
            select(
                func.count().filter(ShiftBooking.status == BookingStatus.CONFIRMED),
                func.coalesce(func.max(ShiftBooking.position), 0),
            ).where(ShiftBooking.shift_id == shift.id)
        )
    ).one()
    status = BookingStatus.CONFIRMED if confirmed < shift.capacity else BookingStatus.WAITLISTED
    position = int(last_position) + 1
    if booking is None:
        booking = ShiftBooking(shift_id=shift.id, user_id=user_id, service_minutes=0)
        session.add(booking)
    booking.status, booking.position, booking.booked_at, booking.updated_at = status, position, now, now
    booking.checked_in_at = booking.checked_out_at = None
    await session.flush()
    if status is BookingStatus.CONFIRMED:
        reminders = await schedule_reminders(session, booking, shift, now)
        return BookingResult(booking, shift, reminders=reminders)
    return BookingResult(booking, shift, await waitlist_rank(session, booking))


async def cancel_booking(
    session: AsyncSession, user_id: int, booking_id: int, now: datetime | None = None
) -> tuple[ShiftBooking, Shift, ShiftBooking | None]:
    """Cancel one's own booking; a freed place goes to the first on the waitlist (returned to be told)."""
    now = now or utcnow()
    booking = await own_booking(session, user_id, booking_id)
    shift = await lock_shift(session, booking.shift_id)
    await session.refresh(booking)
    if not can_transition(booking.status, BookingStatus.CANCELLED):
        raise AlreadyDone(VolunteerProblem.BOOKING_NOT_ACTIVE)
    if shift.starts_at <= now and booking.status is BookingStatus.CONFIRMED:
        raise VolunteerError(VolunteerProblem.CANCEL_TOO_LATE)
    was_confirmed = booking.status is BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.updated_at = now
    await cancel_reminders(session, booking.id)
    await session.flush()
    promoted = None
    if was_confirmed and shift.starts_at > now:
        filled = await fill_from_waitlist(session, shift, now)
        promoted = filled[0] if filled else None
    return booking, shift, promoted


async def fill_from_waitlist(session: AsyncSession, shift: Shift, now: datetime) -> list[ShiftBooking]:
    """Promote waitlisted volunteers, in arrival order, into free places (shift row already locked)."""
    free = shift.capacity - await count_bookings(session, shift.id, (BookingStatus.CONFIRMED,))
    if free <= 0 or shift.status is not ShiftStatus.ACTIVE:
        return []
    waiting = list(
        await session.scalars(
            select(ShiftBooking)
            .where(ShiftBooking.shift_id == shift.id, ShiftBooking.status == BookingStatus.WAITLISTED)
            .order_by(ShiftBooking.position)
            .limit(free)
        )
    )
    for booking in waiting:
        booking.status = BookingStatus.CONFIRMED
        booking.updated_at = now
        await schedule_reminders(session, booking, shift, now)
    await session.flush()
    return waiting


async def own_booking(session: AsyncSession, user_id: int, booking_id: int) -> ShiftBooking:
    booking = await session.get(ShiftBooking, booking_id)
    if booking is None or booking.user_id != user_id:
        raise booking_not_found()
    return booking


async def booking_with_shift(
    session: AsyncSession, user_id: int, booking_id: int
) -> tuple[ShiftBooking, Shift]:
    booking = await own_booking(session, user_id, booking_id)
    return booking, await get_shift(session, booking.shift_id)


async def _overlapping(session: AsyncSession, user_id: int, shift: Shift) -> Shift | None:
    return await session.scalar(
        select(Shift)
        .join(ShiftBooking, ShiftBooking.shift_id == Shift.id)
        .where(
            ShiftBooking.user_id == user_id,
            ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            Shift.id != shift.id,
            Shift.status == ShiftStatus.ACTIVE,
            Shift.starts_at < shift.ends_at,
            Shift.ends_at > shift.starts_at,
        )
        .limit(1)
    )


async def my_bookings(
    session: AsyncSession, user_id: int, now: datetime | None = None, limit: int = 20
) -> list[tuple[ShiftBooking, Shift]]:
    """Bookings still ahead or in progress (confirmed or waitlisted, shift not closed)."""
    now = now or utcnow()
    rows = await session.execute(
        select(ShiftBooking, Shift)
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(
            ShiftBooking.user_id == user_id,
            ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            Shift.status == ShiftStatus.ACTIVE,
            Shift.ends_at > now - CHECKOUT_GRACE,
        )
        .order_by(Shift.starts_at)
        .limit(limit)
    )
    return [(b, s) for b, s in rows.all()]
