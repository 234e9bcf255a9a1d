"""Report section: staff activity from the audit log (谁主管、谁负责 — who did what, how often)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models import AuditEntry
from bot.services.reports.core import (
    Better,
    Metric,
    Period,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    count_in_period,
    table_chart,
)


async def _by_action(session: AsyncSession, period: Period) -> dict[str, tuple[int, int]]:
    """action → (entries, distinct staff), one aggregate query."""
    rows = await session.execute(
        select(AuditEntry.action, func.count(), func.count(AuditEntry.actor_id.distinct()))
        .where(AuditEntry.created_at >= period.start, AuditEntry.created_at < period.end)
        .group_by(AuditEntry.action)
    )
    return {action: (int(n), int(actors)) for action, n, actors in rows.all()}


async def _active_staff(session: AsyncSession, period: Period) -> int:
    return await count_in_period(
        session, period, AuditEntry.created_at, counted=func.count(AuditEntry.actor_id.distinct())
    )


async def staff_activity_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current, previous = await _by_action(session, period), await _by_action(session, period.previous())
    actions = sorted(set(current) | set(previous), key=lambda a: (-current.get(a, (0, 0))[0], a))
    rows: list[list[Any]] = [
        [
            texts.AUDIT_ACTION_NAMES.get(action, action),
            action,
            current.get(action, (0, 0))[0],
            previous.get(action, (0, 0))[0],
            current.get(action, (0, 0))[1],
        ]
        for action in actions
    ]
    metrics = [
        Metric(
            texts.REPORT_STAFF_ACTIONS,
            sum(n for n, _ in current.values()),
            sum(n for n, _ in previous.values()),
            better=Better.NEUTRAL,
        ),
        Metric(
            texts.REPORT_STAFF_ACTIVE,
            await _active_staff(session, period),
            await _active_staff(session, period.previous()),
            better=Better.NEUTRAL,
        ),
    ]
    chart = table_chart(
        texts.REPORT_STAFF_TITLE, rows, {texts.REPORT_THIS_PERIOD: 2, texts.REPORT_LAST_PERIOD: 3}, limit=8
    )
    return ReportSection(
        key="staff_activity",
        title=texts.REPORT_STAFF_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_STAFF_TABLE, texts.REPORT_STAFF_COLUMNS, rows)],
        chart=chart,
    )


SECTIONS = (SectionSpec("staff_activity", staff_activity_section, order=900),)
