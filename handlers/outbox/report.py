"""The supervision report's section on owed messages: how the cards and notices that changes owed
people travelled in the period — sent, still waiting, failed, unreachable — by kind.

The numbers are ``bot.outbox.service.stats`` (one GROUP BY over the period's rows); the messages
still waiting and the oldest one's age are a snapshot at the moment the report is made.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import service
from bot.services.reports.core import (
    Better,
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    ratio,
    table_chart,
)
from bot.timeutil import utcnow
from handlers.outbox import texts
from handlers.outbox.views import kind_name

CHART_KINDS = 10  # kinds charted, the busiest first
SENT_COLUMN, UNDELIVERED_COLUMN = 2, 7


async def owed_messages_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    now = utcnow()
    current = await service.stats(session, now, since=period.start, until=period.end)
    previous = await service.stats(session, now, since=period.previous().start, until=period.previous().end)
    waiting_now = await service.open_count(session)
    this, last = current.total, previous.total
    this_all, last_all = _total(this), _total(last)
    oldest = current.oldest_pending_age
    metrics = [
        Metric(texts.REPORT_OWED, this_all, last_all, better=Better.NEUTRAL),
        Metric(texts.REPORT_SENT, this.sent, last.sent, better=Better.NEUTRAL),
        Metric(texts.REPORT_SENT_SHARE, ratio(this.sent, this_all), ratio(last.sent, last_all), Unit.PERCENT),
        Metric(texts.REPORT_FAILED, this.failed, last.failed, better=Better.LOWER),
        Metric(texts.REPORT_UNREACHABLE, this.unreachable, last.unreachable, better=Better.LOWER),
        Metric(texts.REPORT_WAITING_NOW, waiting_now, None, better=Better.LOWER),
        Metric(
            texts.REPORT_OLDEST_WAITING,
            oldest.total_seconds() / 3600 if oldest is not None else None,
            None,
            Unit.HOURS,
            Better.LOWER,
        ),
    ]
    rows: list[list[Any]] = []
    for kind in sorted(current.by_kind, key=lambda k: (-_total(current.by_kind[k]), k)):
        counts = current.by_kind[kind]
        before = previous.by_kind.get(kind)
        rows.append(
            [
                kind_name(kind),
                _total(counts),
                counts.sent,
                counts.pending + counts.retrying,
                counts.failed,
                counts.unreachable,
                _total(before) if before is not None else 0,
                counts.failed + counts.unreachable,
            ]
        )
    series = {texts.REPORT_SENT: SENT_COLUMN, texts.REPORT_UNDELIVERED: UNDELIVERED_COLUMN}
    return ReportSection(
        key="owed_messages",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_TABLE, texts.REPORT_COLUMNS, [r[:-1] for r in rows], _UNITS)],
        chart=table_chart(texts.REPORT_CHART, rows, series, limit=CHART_KINDS),
        highlights=[texts.FAILED_HINT] if this.failed else [],
    )


def _total(counts: service.KindCounts) -> int:
    return counts.pending + counts.retrying + counts.sent + counts.failed + counts.unreachable


_UNITS = [None, *[Unit.COUNT] * 6]

SECTIONS = (SectionSpec("owed_messages", owed_messages_section, order=70),)
