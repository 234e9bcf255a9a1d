"""A volunteer's personal data: the /mydata export and the /forget eraser."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Shift, ShiftBooking, VolunteerProfile
from bot.models.volunteers import ACTIVE_BOOKING_STATUSES
from bot.services import DomainError
from bot.services.volunteers.bookings import cancel_booking
from bot.services.volunteers.profiles import get_profile
from bot.services.volunteers.schedule import delete_reminders
from bot.timeutil import utcnow


async def export_personal_data(session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    profile = await get_profile(session, user_id)
    rows = await session.execute(
        select(ShiftBooking, Shift)
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(ShiftBooking.user_id == user_id)
        .order_by(ShiftBooking.booked_at)
    )
    bookings = [
        {
            "shift_id": s.id,
            "title": s.title,
            "place": s.place,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "status": b.status.value,
            "booked_at": b.booked_at.isoformat(),
            "checked_in_at": b.checked_in_at.isoformat() if b.checked_in_at else None,
            "checked_out_at": b.checked_out_at.isoformat() if b.checked_out_at else None,
            "service_minutes": b.service_minutes,
        }
        for b, s in rows.all()
    ]
    if profile is None and not bookings:
        return None
    document: dict[str, Any] = {"bookings": bookings}
    if profile is not None:
        document["profile"] = {
            "real_name": profile.real_name,
            "phone": profile.phone,  # the owner sees their own number in full
            "district": profile.district,
            "community": profile.community,
            "skills": profile.skills,
            "availability": profile.availability,
            "show_on_leaderboard": profile.show_on_leaderboard,
            "shift_notices": profile.shift_notices,
            "consent_at": profile.consent_at.isoformat(),
        }
    return document


async def erase_personal_data(session: AsyncSession, user_id: int) -> None:
    """Delete the profile and bookings; places freed in future shifts go to the waitlist."""
    now = utcnow()
    for booking in list(
        await session.scalars(
            select(ShiftBooking).where(
                ShiftBooking.user_id == user_id, ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES)
            )
        )
    ):
        with contextlib.suppress(DomainError):  # a shift already under way keeps its record
            await cancel_booking(session, user_id, booking.id, now)
    booking_ids = list(await session.scalars(select(ShiftBooking.id).where(ShiftBooking.user_id == user_id)))
    for booking_id in booking_ids:
        await delete_reminders(session, booking_id)
    await session.execute(delete(ShiftBooking).where(ShiftBooking.user_id == user_id))
    await session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == user_id))
    await session.flush()
