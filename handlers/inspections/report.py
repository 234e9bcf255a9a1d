"""The supervision report's 督查 sections: the inspections and rectification figures, and the
督查红黑榜 of units (beside the complaints' 红黑榜, with each department's complaint on-time rate).

Providers run the service's aggregate queries for the period and the one before; the figures are
shared by both sections of one report through ``env.memo``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.inspections import BoardEntry, InspectionContent, PeriodFigures
from bot.services.inspections import scores as service
from bot.services.reports import (
    Better,
    Chart,
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
)
from bot.services.tickets import report as complaints
from bot.timeutil import utcnow
from handlers.inspections import texts
from handlers.inspections.resources import content_for
from handlers.kit.replies import escape

SECTION_ORDER = 35  # after the complaints' 红黑榜 (30), before volunteers
BOARD_ORDER = 36


async def _figures(session: AsyncSession, period: Period, env: ReportEnv) -> PeriodFigures:
    key = ("inspections", period.kind, period.key)
    if key not in env.memo:
        env.memo[key] = await service.period_figures(session, period, utcnow())
    figures: PeriodFigures = env.memo[key]
    return figures


async def inspections_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    """Provider of the "inspections" section (督查)."""
    current = await _figures(session, period, env)
    previous = await _figures(session, period.previous(), env)
    return inspections_view(current, previous, content_for(env.data_dir))


async def board_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    """Provider of the "inspection_board" section (督查红黑榜)."""
    ranked = service.rank_units(await _figures(session, period, env))
    previous = service.rank_units(await _figures(session, period.previous(), env))
    red, black = service.boards(ranked)
    departments = await complaints.shared_figures(
        session, env, period, "department", overdue_now=False, medians=False
    )
    on_time = {key: figures.on_time_rate for key, figures in departments.items()}
    previous_rank = {entry.unit_id: n for n, entry in enumerate(previous, 1)}
    return board_view(ranked, red, black, previous_rank, on_time, content_for(env.data_dir))


def inspections_view(
    current: PeriodFigures, previous: PeriodFigures, content: InspectionContent
) -> ReportSection:
    """The 督查 section: headline numbers, districts, units, the lowest sites and repeat failures."""
    metrics = [
        Metric(texts.REPORT_INSPECTIONS, current.inspections, previous.inspections, better=Better.NEUTRAL),
        Metric(texts.REPORT_SITES, current.overall.sites, previous.overall.sites, better=Better.NEUTRAL),
        Metric(texts.REPORT_SCORE, current.overall.score, previous.overall.score, Unit.SCORE),
        Metric(texts.REPORT_FAILED, current.failed_items, previous.failed_items, better=Better.LOWER),
        Metric(texts.REPORT_NEGATIVE, current.negative_failed, previous.negative_failed, better=Better.LOWER),
        Metric(texts.REPORT_TASKS, current.tasks.issued, previous.tasks.issued, better=Better.NEUTRAL),
        Metric(
            texts.REPORT_ON_TIME_RATE, current.tasks.on_time_rate, previous.tasks.on_time_rate, Unit.PERCENT
        ),
        Metric(texts.REPORT_OVERDUE_NOW, current.tasks.overdue_now, None, better=Better.LOWER),
        Metric(texts.REPORT_REPEATS, len(current.repeats), len(previous.repeats), better=Better.LOWER),
        Metric(
            texts.REPORT_MISMATCHES,
            current.location_mismatches,
            previous.location_mismatches,
            better=Better.LOWER,
        ),
    ]
    districts = sorted(
        set(current.by_district) | set(previous.by_district),
        key=lambda d: (content.districts.index(d) if d in content.districts else len(content.districts), d),
    )
    district_rows = [
        [
            d,
            current.by_district[d].sites if d in current.by_district else 0,
            current.by_district[d].inspections if d in current.by_district else 0,
            current.by_district[d].score if d in current.by_district else None,
            previous.by_district[d].score if d in previous.by_district else None,
        ]
        for d in districts
    ]
    repeats = current.repeats_by_unit()
    units = sorted(set(current.by_unit) | set(current.tasks_by_unit), key=lambda u: content.unit_name(u))
    unit_rows = []
    for u in units:
        group = current.by_unit.get(u)
        tasks = current.tasks_by_unit.get(u)
        unit_rows.append(
            [
                content.unit_name(u),
                group.sites if group else 0,
                group.score if group else None,
                tasks.issued if tasks else 0,
                tasks.passed if tasks else 0,
                tasks.on_time_rate if tasks else None,
                tasks.overdue_now if tasks else 0,
                tasks.returned if tasks else 0,
                repeats.get(u, 0),
            ]
        )
    lowest_rows = [
        [content.site_name(s.site_id), s.district, content.unit_name(s.unit_id), s.score, s.inspections]
        for s in current.lowest_sites
    ]
    repeat_rows = [
        [
            content.site_name(r.site_id),
            _plain_check(content, r.item_id),
            content.unit_name(r.unit_id),
            r.times,
        ]
        for r in current.repeats
    ]
    chart = (
        Chart(
            texts.REPORT_CHART,
            [str(row[0]) for row in district_rows],
            {
                texts.REPORT_THIS_PERIOD: [float(row[3] or 0) for row in district_rows],
                texts.REPORT_LAST_PERIOD: [float(row[4] or 0) for row in district_rows],
            },
        )
        if district_rows
        else None
    )
    return ReportSection(
        key="inspections",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[
            Table(
                texts.REPORT_DISTRICT_TABLE,
                texts.REPORT_DISTRICT_COLUMNS,
                district_rows,
                [None, Unit.COUNT, Unit.COUNT, Unit.SCORE, Unit.SCORE],
            ),
            Table(
                texts.REPORT_UNIT_TABLE,
                texts.REPORT_UNIT_COLUMNS,
                unit_rows,
                [
                    None,
                    Unit.COUNT,
                    Unit.SCORE,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.PERCENT,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.COUNT,
                ],
            ),
            Table(
                texts.REPORT_LOWEST_TABLE,
                texts.REPORT_LOWEST_COLUMNS,
                lowest_rows,
                [None, None, None, Unit.SCORE, Unit.COUNT],
            ),
            Table(
                texts.REPORT_REPEAT_TABLE,
                texts.REPORT_REPEAT_COLUMNS,
                repeat_rows,
                [None, None, None, Unit.COUNT],
            ),
        ],
        chart=chart,
    )


def board_view(
    ranked: Sequence[BoardEntry],
    red: Sequence[str],
    black: Sequence[str],
    previous_rank: dict[str, int],
    complaints_on_time: dict[str, float | None],
    content: InspectionContent,
) -> ReportSection:
    """The 督查红黑榜: units by their combined score, with their complaints' on-time rate beside."""
    rows: list[list[Any]] = []
    for n, entry in enumerate(ranked, 1):
        board = (
            texts.REPORT_BOARD_RED
            if entry.unit_id in red
            else texts.REPORT_BOARD_BLACK
            if entry.unit_id in black
            else ""
        )
        rows.append(
            [
                n,
                content.unit_name(entry.unit_id),
                board,
                entry.combined,
                entry.score,
                entry.on_time_rate,
                entry.tasks.issued,
                entry.tasks.overdue_now,
                complaints_on_time.get(entry.unit_id),
                previous_rank.get(entry.unit_id),
            ]
        )
    separator = texts.REPORT_BOARD_SEPARATOR
    highlights = [
        texts.REPORT_BOARD_RED_LINE.format(
            names=separator.join(escape(content.unit_name(u)) for u in red) or texts.REPORT_BOARD_NONE
        ),
        texts.REPORT_BOARD_BLACK_LINE.format(
            names=separator.join(escape(content.unit_name(u)) for u in black) or texts.REPORT_BOARD_NONE
        ),
    ]
    chart = (
        Chart(
            texts.REPORT_BOARD_CHART,
            [str(r[1]) for r in rows[:12]],
            {texts.REPORT_BOARD_COMBINED: [round(float(r[3]), 1) for r in rows[:12]]},
        )
        if rows
        else None
    )
    return ReportSection(
        key="inspection_board",
        title=texts.REPORT_BOARD_TITLE,
        tables=[
            Table(
                texts.REPORT_BOARD_TABLE,
                texts.REPORT_BOARD_COLUMNS,
                rows,
                [
                    None,
                    None,
                    None,
                    Unit.SCORE,
                    Unit.SCORE,
                    Unit.PERCENT,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.PERCENT,
                    None,
                ],
            )
        ],
        chart=chart,
        highlights=highlights,
    )


def _plain_check(content: InspectionContent, item_id: str) -> str:
    item = content.item(item_id)
    return item.check if item else item_id


SECTIONS = (
    SectionSpec("inspections", inspections_section, order=SECTION_ORDER),
    SectionSpec("inspection_board", board_section, order=BOARD_ORDER),
)
