"""The supervision report's 好人推荐 section: nominations by kind and stage, publications and votes.

The numbers come from ``bot.services.nominations.report`` (aggregate SQL); this module words them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common_texts
from bot.models import NominationKind, NominationStatus
from bot.services.nominations import report as numbers
from bot.services.reports.core import (
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    table_chart,
)
from handlers.nominations import texts


async def nominations_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await numbers.by_kind_and_status(session, period)
    previous = await numbers.by_kind_and_status(session, period.previous())
    statuses = list(NominationStatus)
    rows: list[list[Any]] = []
    for kind in NominationKind:
        counts = [current.get((kind, s), 0) for s in statuses]
        before = sum(n for (k, _), n in previous.items() if k == kind)
        rows.append([texts.KIND_NAMES[kind], *counts, sum(counts), before])
    this_period, last_period = common_texts.REPORT_THIS_PERIOD, common_texts.REPORT_LAST_PERIOD
    columns = [
        texts.REPORT_KIND,
        *(texts.REPORT_STATUSES[s] for s in statuses),
        this_period + texts.REPORT_TOTAL,
        last_period + texts.REPORT_TOTAL,
    ]
    metrics = [
        Metric(texts.REPORT_RECEIVED, sum(current.values()), sum(previous.values())),
        Metric(
            texts.REPORT_PUBLISHED,
            await numbers.published(session, period),
            await numbers.published(session, period.previous()),
        ),
        Metric(
            texts.REPORT_VOTES,
            await numbers.votes(session, period),
            await numbers.votes(session, period.previous()),
        ),
    ]
    chart = table_chart(texts.REPORT_CHART, rows, {this_period: -2, last_period: -1})
    return ReportSection(
        key="nominations",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_TABLE, columns, rows)],
        chart=chart if any(r[-1] or r[-2] for r in rows) else None,
    )


SECTIONS = (SectionSpec("nominations", nominations_section, order=50),)
