"""Shifts: publishing (once or weekly), finding and locking one, the upcoming list, the roster.

Every change to a shift's places first locks the shift row (``lock_shift``: ``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite every transaction is ``BEGIN IMMEDIATE``, see ``bot.database``), then counts,
then writes; see ``bookings`` for the race-free booking this allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus, VolunteerProfile
from bot.models.volunteers import ACTIVE_BOOKING_STATUSES
from bot.services import audit
from bot.services.volunteers.errors import shift_not_found
from bot.services.volunteers.inputs import (
    DISTRICT_LIMIT,
    PLACE_LIMIT,
    TITLE_LIMIT,
    check_capacity,
    check_shift_times,
)
from bot.services.volunteers.schedule import schedule_closing
from bot.timeutil import DEFAULT_TZ, utcnow

MAX_WEEKS = 12
# Bookings that held a place: a no-show's place was held all the same.
PLACE_HOLDING = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


# ------------------------------------------------------------------ publishing
@dataclass
class ShiftDraft:
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    district: str = ""
    notes: str = ""
    latitude: float | None = None
    longitude: float | None = None


async def create_shifts(
    session: AsyncSession, actor_id: int, draft: ShiftDraft, *, weeks: int = 1, now: datetime | None = None
) -> list[Shift]:
    """Publish a shift, or the same shift weekly for ``weeks`` weeks (one recurrence group)."""
    now = now or utcnow()
    check_shift_times(draft.starts_at, draft.ends_at, now)
    check_capacity(draft.capacity)
    weeks = max(1, min(weeks, MAX_WEEKS))
    group = uuid4().hex if weeks > 1 else None
    shifts = []
    for week in range(weeks):
        shift = Shift(
            title=draft.title[:TITLE_LIMIT],
            place=draft.place[:PLACE_LIMIT],
            latitude=draft.latitude,
            longitude=draft.longitude,
            district=draft.district[:DISTRICT_LIMIT],
            starts_at=draft.starts_at + timedelta(weeks=week),
            ends_at=draft.ends_at + timedelta(weeks=week),
            capacity=draft.capacity,
            notes=draft.notes,
            status=ShiftStatus.ACTIVE,
            recurrence_group=group,
            created_by=actor_id,
            created_at=now,
            updated_at=now,
        )
        session.add(shift)
        shifts.append(shift)
    await session.flush()
    for shift in shifts:
        await schedule_closing(session, shift)
    await audit.record(
        session,
        actor_id,
        "volunteer.shift.create",
        ",".join(str(s.id) for s in shifts),
        title=draft.title,
        weeks=weeks,
    )
    return shifts


# ------------------------------------------------------------------ one shift, its bookings
async def get_shift(session: AsyncSession, shift_id: int) -> Shift:
    shift = await session.get(Shift, shift_id)
    if shift is None:
        raise shift_not_found()
    return shift


async def lock_shift(session: AsyncSession, shift_id: int) -> Shift:
    """Lock the shift row for this transaction (PostgreSQL); SQLite is already serialised."""
    shift = await session.scalar(
        select(Shift).where(Shift.id == shift_id).with_for_update().execution_options(populate_existing=True)
    )
    if shift is None:
        raise shift_not_found()
    return shift


async def count_bookings(session: AsyncSession, shift_id: int, statuses: Sequence[BookingStatus]) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(ShiftBooking)
            .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status.in_(statuses))
        )
        or 0
    )


async def active_bookings(session: AsyncSession, shift_id: int) -> list[ShiftBooking]:
    """Confirmed and waitlisted bookings, in arrival order."""
    return list(
        await session.scalars(
            select(ShiftBooking)
            .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES))
            .order_by(ShiftBooking.position)
        )
    )


async def waitlist_rank(session: AsyncSession, booking: ShiftBooking) -> int:
    """1 = the next to get a place."""
    ahead = await session.scalar(
        select(func.count())
        .select_from(ShiftBooking)
        .where(
            ShiftBooking.shift_id == booking.shift_id,
            ShiftBooking.status == BookingStatus.WAITLISTED,
            ShiftBooking.position < booking.position,
        )
    )
    return int(ahead or 0) + 1


# ------------------------------------------------------------------ the upcoming list
class DateFilter(StrEnum):
    ALL = "all"
    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEK = "week"  # the next 7 days


@dataclass
class ShiftView:
    shift: Shift
    confirmed: int
    waitlisted: int
    my_status: BookingStatus | None = None
    my_position: int | None = None  # place in the waitlist (1 = next)

    @property
    def free(self) -> int:
        return max(0, self.shift.capacity - self.confirmed)


def date_range(name: DateFilter, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    today = now.astimezone(tz).date()
    start_of = lambda d: datetime.combine(d, time(0), tzinfo=tz)  # noqa: E731
    if name is DateFilter.TODAY:
        return now, start_of(today + timedelta(days=1))
    if name is DateFilter.TOMORROW:
        return start_of(today + timedelta(days=1)), start_of(today + timedelta(days=2))
    if name is DateFilter.WEEK:
        return now, start_of(today + timedelta(days=8))
    return now, None


async def upcoming_shifts(
    session: AsyncSession,
    *,
    user_id: int | None = None,
    district: str | None = None,
    date_filter: DateFilter = DateFilter.ALL,
    offset: int = 0,
    limit: int = 5,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> tuple[list[ShiftView], int]:
    """One page of active shifts that have not started, soonest first, and how many there are in all."""
    now = now or utcnow()
    start, end = date_range(DateFilter(date_filter), now, tz)
    conditions = [Shift.status == ShiftStatus.ACTIVE, Shift.starts_at > now, Shift.starts_at >= start]
    if end is not None:
        conditions.append(Shift.starts_at < end)
    if district:
        conditions.append(Shift.district == district)
    total = int(await session.scalar(select(func.count()).select_from(Shift).where(*conditions)) or 0)
    shifts = list(
        await session.scalars(
            select(Shift).where(*conditions).order_by(Shift.starts_at, Shift.id).offset(offset).limit(limit)
        )
    )
    return await _views(session, shifts, user_id), total


async def _views(session: AsyncSession, shifts: Sequence[Shift], user_id: int | None) -> list[ShiftView]:
    ids = [s.id for s in shifts]
    if not ids:
        return []
    counts: dict[tuple[int, BookingStatus], int] = {}
    rows = await session.execute(
        select(ShiftBooking.shift_id, ShiftBooking.status, func.count())
        .where(ShiftBooking.shift_id.in_(ids), ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES))
        .group_by(ShiftBooking.shift_id, ShiftBooking.status)
    )
    for shift_id, status, count in rows:
        counts[(shift_id, status)] = int(count)
    mine: dict[int, ShiftBooking] = {}
    if user_id is not None:
        mine = {
            b.shift_id: b
            for b in await session.scalars(
                select(ShiftBooking).where(ShiftBooking.shift_id.in_(ids), ShiftBooking.user_id == user_id)
            )
        }
    views = []
    for shift in shifts:
        view = ShiftView(
            shift,
            counts.get((shift.id, BookingStatus.CONFIRMED), 0),
            counts.get((shift.id, BookingStatus.WAITLISTED), 0),
        )
        booking = mine.get(shift.id)
        if booking is not None and booking.status in ACTIVE_BOOKING_STATUSES:
            view.my_status = booking.status
            if booking.status is BookingStatus.WAITLISTED:
                view.my_position = await waitlist_rank(session, booking)
        views.append(view)
    return views


async def shift_view(session: AsyncSession, shift_id: int, user_id: int | None = None) -> ShiftView:
    (view,) = await _views(session, [await get_shift(session, shift_id)], user_id)
    return view


# ------------------------------------------------------------------ roster
class RosterSection(StrEnum):
    """Where a booking appears on the roster (a confirmed booking with a check-in is "checked in")."""

    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    WAITLISTED = "waitlisted"


@dataclass
class RosterEntry:
    booking: ShiftBooking
    profile: VolunteerProfile | None

    @property
    def section(self) -> RosterSection:
        status = self.booking.status
        if status is BookingStatus.CONFIRMED and self.booking.checked_in_at is not None:
            return RosterSection.CHECKED_IN
        return RosterSection(status.value)


async def roster(session: AsyncSession, shift_id: int) -> tuple[Shift, list[RosterEntry]]:
    """The shift and everyone on it but the cancelled, in arrival order."""
    shift = await get_shift(session, shift_id)
    rows = await session.execute(
        select(ShiftBooking, VolunteerProfile)
        .outerjoin(VolunteerProfile, VolunteerProfile.user_id == ShiftBooking.user_id)
        .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status != BookingStatus.CANCELLED)
        .order_by(ShiftBooking.position)
    )
    return shift, [RosterEntry(b, p) for b, p in rows.all()]
