"""Report section: notices sent and their reach, by audience (aggregate SQL over deliveries).

A delivery counts in the period it was created (when its occurrence fired). Reach: distinct people
a notice was actually delivered to; failed and unreachable (blocked the bot) are shown apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models.broadcasts import Broadcast, Delivery, DeliveryStatus
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


@dataclass
class DeliveryFigures:
    notices: int = 0
    deliveries: int = 0
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    reach: int = 0

    @property
    def success_rate(self) -> float | None:
        return ratio(self.sent, self.deliveries)


async def delivery_figures(
    session: AsyncSession, period: Period, group_by: Any
) -> dict[str, DeliveryFigures]:
    def count_if(status: DeliveryStatus) -> Any:
        return func.sum(case((Delivery.status == status, 1), else_=0))

    rows = await session.execute(
        select(
            group_by,
            func.count(Delivery.broadcast_id.distinct()),
            func.count(),
            count_if(DeliveryStatus.SENT),
            count_if(DeliveryStatus.FAILED),
            count_if(DeliveryStatus.UNREACHABLE),
            func.count(case((Delivery.status == DeliveryStatus.SENT, Delivery.user_id)).distinct()),
        )
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Delivery.created_at >= period.start, Delivery.created_at < period.end)
        .group_by(group_by)
    )
    return {
        str(key): DeliveryFigures(
            int(n), int(total), int(sent or 0), int(failed or 0), int(blocked or 0), int(reach or 0)
        )
        for key, n, total, sent, failed, blocked, reach in rows.all()
    }


async def broadcasts_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    current = await delivery_figures(session, period, Broadcast.audience_kind)
    previous = await delivery_figures(session, period.previous(), Broadcast.audience_kind)
    now = (await delivery_figures(session, period, literal("all"))).get("all", DeliveryFigures())
    before = (await delivery_figures(session, period.previous(), literal("all"))).get(
        "all", DeliveryFigures()
    )
    metrics = [
        Metric(texts.REPORT_BC_NOTICES, now.notices, before.notices, better=Better.NEUTRAL),
        Metric(texts.REPORT_BC_SENT, now.sent, before.sent, better=Better.NEUTRAL),
        Metric(texts.REPORT_BC_REACH, now.reach, before.reach),
        Metric(texts.REPORT_BC_SUCCESS, now.success_rate, before.success_rate, Unit.PERCENT),
        Metric(texts.REPORT_BC_UNREACHABLE, now.unreachable, before.unreachable, better=Better.LOWER),
    ]
    rows: list[list[Any]] = []
    for key in sorted(set(current) | set(previous)):
        f, b = current.get(key, DeliveryFigures()), previous.get(key, DeliveryFigures())
        label = texts.REPORT_BC_AUDIENCES.get(key, key)
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
        texts.REPORT_BC_CHART,
        rows,
        {
            texts.REPORT_BC_REACH + texts.REPORT_THIS_PERIOD: 6,
            texts.REPORT_BC_REACH + texts.REPORT_LAST_PERIOD: 8,
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
        title=texts.REPORT_BC_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_BC_TABLE, texts.REPORT_BC_COLUMNS, rows, units)],
        chart=chart,
    )


SECTIONS = (SectionSpec("broadcasts", broadcasts_section, order=60),)
