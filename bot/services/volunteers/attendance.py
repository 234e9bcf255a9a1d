"""Check-in and check-out: the time window, the place (for shifts with coordinates) and the hours served."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus
from bot.services.volunteers.bookings import booking_with_shift
from bot.services.volunteers.errors import AlreadyDone, BadLocation, CheckInRefused, TooFar, VolunteerProblem
from bot.services.volunteers.schedule import CHECKIN_EARLY, CHECKOUT_GRACE
from bot.timeutil import DEFAULT_TZ, local, utcnow

EARTH_RADIUS_METERS = 6_371_000.0
DEFAULT_RADIUS_METERS = 500.0  # the bot passes CHECKIN_RADIUS_METERS


def haversine_meters(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METERS * math.asin(math.sqrt(a))


def _check_place(shift: Shift, location: tuple[float, float] | None, radius: float) -> None:
    if not shift.has_coordinates:
        return
    if location is None:
        raise CheckInRefused(VolunteerProblem.LOCATION_EXPECTED)
    latitude, longitude = location
    # NaN compares false with everything: "distance > radius" would let it through.
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise BadLocation()
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadLocation()
    assert shift.latitude is not None and shift.longitude is not None
    distance = haversine_meters(location[0], location[1], shift.latitude, shift.longitude)
    if distance > radius:
        raise TooFar(distance, radius, shift.place)


async def check_in(
    session: AsyncSession,
    user_id: int,
    booking_id: int,
    *,
    location: tuple[float, float] | None = None,
    radius: float = DEFAULT_RADIUS_METERS,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> tuple[ShiftBooking, Shift]:
    """From ``CHECKIN_EARLY`` before the start to the end, at the place (when the shift has one)."""
    now = now or utcnow()
    booking, shift = await booking_with_shift(session, user_id, booking_id)
    if booking.checked_in_at is not None:
        raise AlreadyDone(VolunteerProblem.ALREADY_CHECKED_IN)
    if booking.status is not BookingStatus.CONFIRMED or shift.status is not ShiftStatus.ACTIVE:
        raise CheckInRefused(VolunteerProblem.NOT_CONFIRMED)
    if now < shift.starts_at - CHECKIN_EARLY:
        raise CheckInRefused(
            VolunteerProblem.CHECKIN_TOO_EARLY,
            start=local(shift.starts_at, tz),
            minutes=int(CHECKIN_EARLY.total_seconds() // 60),
        )
    if now > shift.ends_at:
        raise CheckInRefused(VolunteerProblem.CHECKIN_CLOSED)
    _check_place(shift, location, radius)
    booking.checked_in_at = now
    booking.updated_at = now
    await session.flush()
    return booking, shift


async def check_out(
    session: AsyncSession,
    user_id: int,
    booking_id: int,
    *,
    location: tuple[float, float] | None = None,
    radius: float = DEFAULT_RADIUS_METERS,
    now: datetime | None = None,
) -> tuple[ShiftBooking, Shift]:
    """After checking in, until ``CHECKOUT_GRACE`` after the end (then the shift closes by itself)."""
    now = now or utcnow()
    booking, shift = await booking_with_shift(session, user_id, booking_id)
    if booking.status is BookingStatus.COMPLETED:
        raise AlreadyDone(VolunteerProblem.ALREADY_CHECKED_OUT)
    if booking.status is not BookingStatus.CONFIRMED:
        raise CheckInRefused(VolunteerProblem.NOT_CONFIRMED)
    if booking.checked_in_at is None:
        raise CheckInRefused(VolunteerProblem.NOT_CHECKED_IN)
    if now > shift.ends_at + CHECKOUT_GRACE:
        raise CheckInRefused(VolunteerProblem.CHECKOUT_CLOSED)
    _check_place(shift, location, radius)
    complete(booking, shift, now)
    await session.flush()
    return booking, shift


def complete(booking: ShiftBooking, shift: Shift, out_at: datetime) -> None:
    """Hours count only inside the shift's window: early arrivals and late stays are not service time."""
    assert booking.checked_in_at is not None
    booking.checked_out_at = out_at
    start = max(booking.checked_in_at, shift.starts_at)
    end = min(out_at, shift.ends_at)
    booking.service_minutes = max(0, int((end - start).total_seconds() // 60))
    booking.status = BookingStatus.COMPLETED
    booking.updated_at = out_at
