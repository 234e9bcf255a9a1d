"""The supervision report's section on notices: what was sent and whom it reached, by audience."""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.broadcasts import Broadcast
from bot.services.broadcasts.report import DeliveryFigures, delivery_figures
from bot.services.reports.core import (
    Better,
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    table_chart,
)
from handlers.broadcasts import texts


async def broadcasts_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await delivery_figures(session, period, Broadcast.audience_kind)
    previous = await delivery_figures(session, period.previous(), Broadcast.audience_kind)
    now = (await delivery_figures(session, period, literal("all"))).get("all", DeliveryFigures())
    before = (await delivery_figures(session, period.previous(), literal("all"))).get(
        "all", DeliveryFigures()
    )
    metrics = [
        Metric(texts.REPORT_NOTICES, now.notices, before.notices, better=Better.NEUTRAL),
        Metric(texts.REPORT_SENT, now.sent, before.sent, better=Better.NEUTRAL),
        Metric(texts.REPORT_REACH, now.reach, before.reach),
        Metric(texts.REPORT_SUCCESS, now.success_rate, before.success_rate, Unit.PERCENT),
        Metric(texts.REPORT_UNREACHABLE, now.unreachable, before.unreachable, better=Better.LOWER),
    ]
    rows: list[list[Any]] = []
    for key in sorted(set(current) | set(previous)):
        f, b = current.get(key, DeliveryFigures()), previous.get(key, DeliveryFigures())
        label = texts.REPORT_AUDIENCES.get(key, key)
        rows.append(
            [
                label,
                f.notices,
                f.deliveries,
                f.sent,
                f.failed,
                f.unreachable,
                f.reach,
                f.success_rate,
                b.reach,
            ]
        )
    chart = table_chart(
        texts.REPORT_CHART,
        rows,
        {
            texts.REPORT_REACH + texts.REPORT_THIS_PERIOD: 6,
            texts.REPORT_REACH + texts.REPORT_LAST_PERIOD: 8,
        },
    )
    units = [
        None,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.COUNT,
        Unit.PERCENT,
        Unit.COUNT,
    ]
    return ReportSection(
        key="broadcasts",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_TABLE, texts.REPORT_COLUMNS, rows, units)],
        chart=chart,
    )


SECTIONS = (SectionSpec("broadcasts", broadcasts_section, order=60),)
