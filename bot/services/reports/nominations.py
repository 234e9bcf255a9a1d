"""Report section: 好人推荐 nominations by kind and stage, publications and votes (aggregate SQL).

Nominations count in the period they were submitted; their stage is the status they have now.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models import Nomination, NominationKind, NominationStatus, Vote
from bot.services.reports.core import (
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    count_in_period,
    table_chart,
)


async def by_kind_and_status(session: AsyncSession, period: Period) -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(Nomination.kind, Nomination.status, func.count())
        .where(Nomination.created_at >= period.start, Nomination.created_at < period.end)
        .group_by(Nomination.kind, Nomination.status)
    )
    return {(kind.value, status.value): int(n) for kind, status, n in rows.all()}


async def published(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, Nomination.published_at)


async def votes(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, Vote.created_at, Vote.voided.is_(False))


async def nominations_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await by_kind_and_status(session, period)
    previous = await by_kind_and_status(session, period.previous())
    statuses = list(NominationStatus)
    rows: list[list[Any]] = []
    for kind in NominationKind:
        counts = [current.get((kind.value, s.value), 0) for s in statuses]
        before = sum(n for (k, _), n in previous.items() if k == kind.value)
        rows.append([texts.REPORT_NOM_KINDS.get(kind.value, kind.value), *counts, sum(counts), before])
    columns = [texts.REPORT_NOM_KIND, *(texts.REPORT_NOM_STATUSES.get(s.value, s.value) for s in statuses)]
    columns += [
        texts.REPORT_THIS_PERIOD + texts.REPORT_NOM_TOTAL,
        texts.REPORT_LAST_PERIOD + texts.REPORT_NOM_TOTAL,
    ]
    metrics = [
        Metric(texts.REPORT_NOM_RECEIVED, sum(current.values()), sum(previous.values())),
        Metric(
            texts.REPORT_NOM_PUBLISHED,
            await published(session, period),
            await published(session, period.previous()),
        ),
        Metric(texts.REPORT_NOM_VOTES, await votes(session, period), await votes(session, period.previous())),
    ]
    chart = table_chart(
        texts.REPORT_NOM_CHART, rows, {texts.REPORT_THIS_PERIOD: -2, texts.REPORT_LAST_PERIOD: -1}
    )
    return ReportSection(
        key="nominations",
        title=texts.REPORT_NOM_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_NOM_TABLE, columns, rows)],
        chart=chart if any(r[-1] or r[-2] for r in rows) else None,
    )


SECTIONS = (SectionSpec("nominations", nominations_section, order=50),)
