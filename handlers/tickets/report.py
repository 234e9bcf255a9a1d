"""The supervision report's sections on tickets: by category, by department, and the 红黑榜 of
departments (on-time rate, then satisfaction). The figures are ``bot.services.tickets.report``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.reports.core import (
    Better,
    Chart,
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    table_chart,
)
from bot.services.tickets.report import (
    BOARD_MIN_RESOLVED,
    GroupFigures,
    boards,
    rank_departments,
    shared_figures,
)
from handlers.tickets import texts

COLUMNS_UNITS = [
    None,
    Unit.COUNT,
    Unit.COUNT,
    Unit.COUNT,
    Unit.PERCENT,
    Unit.PERCENT,
    Unit.COUNT,
    Unit.HOURS,
    Unit.SCORE,
]


def _rows(
    current: Mapping[str, GroupFigures], previous: Mapping[str, GroupFigures], names: Mapping[str, str]
) -> list[list[Any]]:
    keys = sorted(set(current) | set(previous), key=lambda k: (-current.get(k, GroupFigures()).received, k))
    rows: list[list[Any]] = []
    for key in keys:
        now, before = current.get(key, GroupFigures()), previous.get(key, GroupFigures())
        rows.append(
            [
                names.get(key, key),
                now.received,
                before.received,
                now.resolved,
                now.on_time_rate,
                before.on_time_rate,
                now.overdue_now,
                now.median_hours,
                now.satisfaction,
            ]
        )
    return rows


def _chart(title: str, rows: list[list[Any]]) -> Chart | None:
    return table_chart(
        title,
        rows,
        {
            texts.REPORT_TICKETS_RECEIVED_NOW: 1,
            texts.REPORT_TICKETS_RECEIVED_BEFORE: 2,
            texts.REPORT_TICKETS_RESOLVED: 3,
        },
        limit=10,
    )


async def by_category_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await shared_figures(session, env, period, "category")
    previous = await shared_figures(
        session, env, period.previous(), "category", overdue_now=False, medians=False
    )
    now = (await shared_figures(session, env, period, "all")).get("all", GroupFigures())
    before = (await shared_figures(session, env, period.previous(), "all", overdue_now=False)).get(
        "all", GroupFigures()
    )
    metrics = [
        Metric(texts.REPORT_TICKETS_RECEIVED, now.received, before.received, better=Better.NEUTRAL),
        Metric(texts.REPORT_TICKETS_RESOLVED, now.resolved, before.resolved),
        Metric(texts.REPORT_TICKETS_ON_TIME, now.on_time, before.on_time),
        Metric(texts.REPORT_TICKETS_ON_TIME_RATE, now.on_time_rate, before.on_time_rate, Unit.PERCENT),
        Metric(texts.REPORT_TICKETS_OVERDUE_NOW, now.overdue_now, None, better=Better.LOWER),
        Metric(texts.REPORT_TICKETS_MEDIAN, now.median_hours, before.median_hours, Unit.HOURS, Better.LOWER),
        Metric(texts.REPORT_TICKETS_SATISFACTION, now.satisfaction, before.satisfaction, Unit.SCORE),
    ]
    rows = _rows(current, previous, env.category_names)
    return ReportSection(
        key="complaints_by_category",
        title=texts.REPORT_TICKETS_BY_CATEGORY,
        metrics=metrics,
        tables=[Table(texts.REPORT_TICKETS_BY_CATEGORY, texts.REPORT_TICKETS_COLUMNS, rows, COLUMNS_UNITS)],
        chart=_chart(texts.REPORT_TICKETS_BY_CATEGORY, rows),
    )


async def by_department_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await shared_figures(session, env, period, "department")
    previous = await shared_figures(
        session, env, period.previous(), "department", overdue_now=False, medians=False
    )
    rows = _rows(current, previous, env.department_names)
    with_overdue = sum(1 for f in current.values() if f.overdue_now)
    metrics = [
        Metric(
            texts.REPORT_TICKETS_DEPARTMENTS,
            len([f for f in current.values() if f.received]),
            len([f for f in previous.values() if f.received]),
            better=Better.NEUTRAL,
        ),
        Metric(texts.REPORT_TICKETS_DEPARTMENTS_OVERDUE, with_overdue, None, better=Better.LOWER),
    ]
    return ReportSection(
        key="complaints_by_department",
        title=texts.REPORT_TICKETS_BY_DEPARTMENT,
        metrics=metrics,
        tables=[
            Table(
                texts.REPORT_TICKETS_BY_DEPARTMENT,
                texts.REPORT_TICKETS_COLUMNS_DEPARTMENT,
                rows,
                COLUMNS_UNITS,
            )
        ],
        chart=_chart(texts.REPORT_TICKETS_BY_DEPARTMENT, rows),
    )


async def honor_board_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await shared_figures(session, env, period, "department")
    previous = await shared_figures(
        session, env, period.previous(), "department", overdue_now=False, medians=False
    )
    ranked = rank_departments(current)
    red, black = boards(ranked)
    names = env.department_names
    previous_rank = {key: n for n, (key, _) in enumerate(rank_departments(previous), 1)}
    rows: list[list[Any]] = []
    for n, (key, f) in enumerate(ranked, 1):
        board = texts.REPORT_BOARD_RED if key in red else texts.REPORT_BOARD_BLACK if key in black else ""
        rows.append(
            [
                n,
                names.get(key, key),
                board,
                f.resolved,
                f.on_time_rate,
                f.satisfaction,
                f.overdue_now,
                previous_rank.get(key),
            ]
        )
    highlights = [
        texts.REPORT_BOARD_RED_LINE.format(
            names=texts.LIST_SEPARATOR.join(names.get(k, k) for k in red) or texts.REPORT_BOARD_NONE
        ),
        texts.REPORT_BOARD_BLACK_LINE.format(
            names=texts.LIST_SEPARATOR.join(names.get(k, k) for k in black) or texts.REPORT_BOARD_NONE
        ),
    ]
    chart = (
        Chart(
            texts.REPORT_BOARD_CHART,
            [str(r[1]) for r in rows[:12]],
            {texts.REPORT_TICKETS_ON_TIME_RATE + "(%)": [round((r[4] or 0) * 100, 1) for r in rows[:12]]},
        )
        if rows
        else None
    )
    return ReportSection(
        key="honor_board",
        title=texts.REPORT_BOARD_TITLE,
        tables=[
            Table(
                texts.REPORT_BOARD_TABLE.format(minimum=BOARD_MIN_RESOLVED),
                texts.REPORT_BOARD_COLUMNS,
                rows,
                [None, None, None, Unit.COUNT, Unit.PERCENT, Unit.SCORE, Unit.COUNT, None],
            )
        ],
        chart=chart,
        highlights=highlights,
    )


SECTIONS = (
    SectionSpec("complaints_by_category", by_category_section, order=10),
    SectionSpec("complaints_by_department", by_department_section, order=20),
    SectionSpec("honor_board", honor_board_section, order=30),
)
