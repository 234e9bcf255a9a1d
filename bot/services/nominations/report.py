"""The numbers of the supervision report's 好人推荐 section (aggregate SQL; the face words them).

Nominations count in the period they were submitted; their stage is the status they have now.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationKind, NominationStatus, Vote
from bot.services.reports.core import Period, count_in_period


async def by_kind_and_status(
    session: AsyncSession, period: Period
) -> dict[tuple[NominationKind, NominationStatus], int]:
    rows = await session.execute(
        select(Nomination.kind, Nomination.status, func.count())
        .where(Nomination.created_at >= period.start, Nomination.created_at < period.end)
        .group_by(Nomination.kind, Nomination.status)
    )
    return {(kind, status): int(n) for kind, status, n in rows.all()}


async def published(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, Nomination.published_at)


async def votes(session: AsyncSession, period: Period) -> int:
    return await count_in_period(session, period, Vote.created_at, Vote.voided.is_(False))
