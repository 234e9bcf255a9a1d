"""Staff activity per period from the audit log (谁主管、谁负责: who did what, how often).

The figures of the report's staff section, for a period and the one before it, in aggregate SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry
from bot.services.reports.core import Period, count_in_period


@dataclass(frozen=True)
class ActionCount:
    entries: int
    staff: int  # distinct actors


NONE = ActionCount(0, 0)


@dataclass(frozen=True)
class StaffActivity:
    current: dict[str, ActionCount]  # action → count, in the period
    previous: dict[str, ActionCount]  # … in the period before
    active_staff: int
    active_staff_before: int

    @property
    def actions(self) -> list[str]:
        """Every action seen in either period, the busiest of this period first."""
        return sorted(set(self.current) | set(self.previous), key=lambda a: (-self.now(a).entries, a))

    def now(self, action: str) -> ActionCount:
        return self.current.get(action, NONE)

    def before(self, action: str) -> ActionCount:
        return self.previous.get(action, NONE)

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.current.values())

    @property
    def entries_before(self) -> int:
        return sum(c.entries for c in self.previous.values())


async def staff_activity(session: AsyncSession, period: Period) -> StaffActivity:
    return StaffActivity(
        await _by_action(session, period),
        await _by_action(session, period.previous()),
        await _active_staff(session, period),
        await _active_staff(session, period.previous()),
    )


async def _by_action(session: AsyncSession, period: Period) -> dict[str, ActionCount]:
    """action → (entries, distinct staff), one aggregate query."""
    rows = await session.execute(
        select(AuditEntry.action, func.count(), func.count(AuditEntry.actor_id.distinct()))
        .where(AuditEntry.created_at >= period.start, AuditEntry.created_at < period.end)
        .group_by(AuditEntry.action)
    )
    return {action: ActionCount(int(n), int(actors)) for action, n, actors in rows.all()}


async def _active_staff(session: AsyncSession, period: Period) -> int:
    return await count_in_period(
        session, period, AuditEntry.created_at, counted=func.count(AuditEntry.actor_id.distinct())
    )
