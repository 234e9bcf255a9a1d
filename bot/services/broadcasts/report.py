"""The report's figures on notices: sent and their reach, by audience (aggregate SQL over deliveries).

A delivery counts in the period it was created (when its occurrence fired). Reach: distinct people
a notice was actually delivered to; failed and unreachable (blocked the bot) are shown apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.broadcasts import Broadcast, Delivery, DeliveryStatus
from bot.services.reports.core import Period, ratio


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
