"""The volunteers' section of the supervision report: the figures (``bot.services.volunteers.report``), worded.

Headline figures for the whole city against the previous period, a table by district (this period's
turnout beside the previous one's) and a chart of booked against checked-in for the ten busiest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.reports.core import (
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    table_chart,
)
from bot.services.volunteers.report import ShiftFigures, city_figures, district_figures, new_volunteers
from handlers.volunteers import texts

CHART_DISTRICTS = 10
BOOKED_COLUMN, CHECKED_IN_COLUMN = 3, 4
UNITS = [
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


async def volunteers_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await district_figures(session, period)
    previous = await district_figures(session, period.previous())
    now = await city_figures(session, period)
    before = await city_figures(session, period.previous())
    metrics = [
        Metric(texts.REPORT_SHIFTS, now.shifts, before.shifts),
        Metric(texts.REPORT_BOOKED, now.booked, before.booked),
        Metric(texts.REPORT_CHECKED_IN, now.checked_in, before.checked_in),
        Metric(texts.REPORT_TURNOUT, now.turnout, before.turnout, Unit.PERCENT),
        Metric(texts.REPORT_HOURS, now.hours, before.hours, Unit.HOURS),
        Metric(texts.REPORT_ACTIVE, now.volunteers, before.volunteers),
        Metric(
            texts.REPORT_NEW,
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
                key or texts.REPORT_NO_DISTRICT,
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
    series = {texts.REPORT_BOOKED: BOOKED_COLUMN, texts.REPORT_CHECKED_IN: CHECKED_IN_COLUMN}
    return ReportSection(
        key="volunteers",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_TABLE, texts.REPORT_COLUMNS, rows, UNITS)],
        chart=table_chart(texts.REPORT_CHART, rows, series, limit=CHART_DISTRICTS),
    )


SECTIONS = (SectionSpec("volunteers", volunteers_section, order=40),)
