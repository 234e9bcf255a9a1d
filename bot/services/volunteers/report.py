"""The volunteers' figures for the supervision report: shifts, places, turnout and hours, by district.

A shift counts in the period it starts in (cancelled shifts excluded). Booked: bookings that held a
place (confirmed, completed, no-show; waitlisted and cancelled ones did not). Checked in: bookings
with a check-in. Hours: the service minutes recorded at check-out. All aggregate SQL; the section
itself (titles, columns) is worded by the face (``handlers.volunteers.report``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Shift, ShiftBooking, ShiftStatus, VolunteerProfile
from bot.services.reports.core import Period, count_in_period, ratio
from bot.services.volunteers.shifts import PLACE_HOLDING

ALL = "all"  # the one group of the whole city's figures


@dataclass
class ShiftFigures:
    shifts: int = 0
    capacity: int = 0
    booked: int = 0
    checked_in: int = 0
    minutes: int = 0
    volunteers: int = 0

    @property
    def turnout(self) -> float | None:
        return ratio(self.checked_in, self.booked)

    @property
    def hours(self) -> float:
        return self.minutes / 60


async def shift_figures(session: AsyncSession, period: Period, group_by: Any) -> dict[str, ShiftFigures]:
    """Figures of the shifts starting in ``period``, by ``group_by`` (a column, or a literal for all)."""
    in_period = (
        Shift.status == ShiftStatus.ACTIVE,
        Shift.starts_at >= period.start,
        Shift.starts_at < period.end,
    )
    groups: dict[str, ShiftFigures] = {}
    shifts = await session.execute(
        select(group_by, func.count(), func.sum(Shift.capacity)).where(*in_period).group_by(group_by)
    )
    for key, n, capacity in shifts.all():
        groups[str(key)] = ShiftFigures(shifts=int(n), capacity=int(capacity or 0))
    held = ShiftBooking.status.in_(PLACE_HOLDING)
    checked_in = ShiftBooking.checked_in_at.is_not(None)
    bookings = await session.execute(
        select(
            group_by,
            func.sum(case((held, 1), else_=0)),
            func.sum(case((checked_in, 1), else_=0)),
            func.sum(ShiftBooking.service_minutes),
            func.count(case((checked_in, ShiftBooking.user_id)).distinct()),
        )
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(*in_period)
        .group_by(group_by)
    )
    for key, booked, came, minutes, volunteers in bookings.all():
        figures = groups.setdefault(str(key), ShiftFigures())
        figures.booked, figures.checked_in = int(booked or 0), int(came or 0)
        figures.minutes, figures.volunteers = int(minutes or 0), int(volunteers or 0)
    return groups


async def city_figures(session: AsyncSession, period: Period) -> ShiftFigures:
    return (await shift_figures(session, period, literal(ALL))).get(ALL, ShiftFigures())


async def district_figures(session: AsyncSession, period: Period) -> dict[str, ShiftFigures]:
    """By the shifts' district ("" for shifts without one)."""
    return await shift_figures(session, period, Shift.district)


async def new_volunteers(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, VolunteerProfile.created_at)
