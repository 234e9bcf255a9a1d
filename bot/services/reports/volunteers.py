"""Report section: volunteer shifts, hours and turnout (booked vs checked in), by district.

A shift counts in the period it starts in (cancelled shifts excluded). Booked: bookings that held a
place (confirmed, completed, no-show; waitlisted and cancelled ones did not). Checked in: bookings
with a check-in. Hours: the service minutes recorded at check-out. All aggregate SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus, VolunteerProfile
from bot.services.reports.core import (
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    count_in_period,
    ratio,
    table_chart,
)

HELD_A_PLACE = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


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
    held = ShiftBooking.status.in_(HELD_A_PLACE)
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


async def new_volunteers(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, VolunteerProfile.created_at)


async def volunteers_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await shift_figures(session, period, Shift.district)
    previous = await shift_figures(session, period.previous(), Shift.district)
    now = (await shift_figures(session, period, literal("all"))).get("all", ShiftFigures())
    before = (await shift_figures(session, period.previous(), literal("all"))).get("all", ShiftFigures())
    metrics = [
        Metric(texts.REPORT_VOL_SHIFTS, now.shifts, before.shifts),
        Metric(texts.REPORT_VOL_BOOKED, now.booked, before.booked),
        Metric(texts.REPORT_VOL_CHECKED_IN, now.checked_in, before.checked_in),
        Metric(texts.REPORT_VOL_TURNOUT, now.turnout, before.turnout, Unit.PERCENT),
        Metric(texts.REPORT_VOL_HOURS, now.hours, before.hours, Unit.HOURS),
        Metric(texts.REPORT_VOL_ACTIVE, now.volunteers, before.volunteers),
        Metric(
            texts.REPORT_VOL_NEW,
            await new_volunteers(session, period),
            await new_volunteers(session, period.previous()),
        ),
    ]
    keys = sorted(set(current) | set(previous), key=lambda k: (-current.get(k, ShiftFigures()).shifts, k))
    rows: list[list[Any]] = []
    for key in keys:
        f, b = current.get(key, ShiftFigures()), previous.get(key, ShiftFigures())
        rows.append(
            [
                key or texts.REPORT_VOL_NO_DISTRICT,
                f.shifts,
                f.capacity,
                f.booked,
                f.checked_in,
                f.turnout,
                b.turnout,
                round(f.hours, 1),
                f.volunteers,
            ]
        )
    chart = table_chart(
        texts.REPORT_VOL_CHART, rows, {texts.REPORT_VOL_BOOKED: 3, texts.REPORT_VOL_CHECKED_IN: 4}, limit=10
    )
    units = [
        None,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.PERCENT,
        Unit.PERCENT,
        Unit.HOURS,
        Unit.COUNT,
    ]
    return ReportSection(
        key="volunteers",
        title=texts.REPORT_VOL_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_VOL_TABLE, texts.REPORT_VOL_COLUMNS, rows, units)],
        chart=chart,
    )


SECTIONS = (SectionSpec("volunteers", volunteers_section, order=40),)
