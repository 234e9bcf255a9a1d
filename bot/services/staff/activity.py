"""Staff activity per period from the audit log (谁主管、谁负责: who did what, how often).

The figures of the report's staff section, for a period and the one before it, in aggregate SQL.
Only what staff did counts: refused attempts (a resident pressing a card's button: ``*.refused``)
are counted apart, and entries the bot wrote by itself (no actor: a scheduled report, 督办) not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry
from bot.services.reports.core import Period, count_in_period


@dataclass(frozen=True)
class ActionCount:
    entries: int
    staff: int  # distinct actors


NONE = ActionCount(0, 0)
REFUSED_SUFFIX = ".refused"  # an attempt the role check refused: not an action


def _by_staff() -> ColumnElement[bool]:
    return and_(AuditEntry.actor_id.is_not(None), AuditEntry.action.not_like(f"%{REFUSED_SUFFIX}"))


@dataclass(frozen=True)
class StaffActivity:
    current: dict[str, ActionCount]  # action → count, in the period
    previous: dict[str, ActionCount]  # … in the period before
    active_staff: int
    active_staff_before: int
    by_actor: dict[int, int]  # staff member → actions, in the period
    by_actor_before: dict[int, int]
    refused: int = 0  # attempts refused for want of a role (not counted above)
    refused_before: int = 0

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
        await _by_actor(session, period),
        await _by_actor(session, period.previous()),
        await _refused(session, period),
        await _refused(session, period.previous()),
    )


async def _by_action(session: AsyncSession, period: Period) -> dict[str, ActionCount]:
    """action → (entries, distinct staff), one aggregate query."""
    rows = await session.execute(
        select(AuditEntry.action, func.count(), func.count(AuditEntry.actor_id.distinct()))
        .where(AuditEntry.created_at >= period.start, AuditEntry.created_at < period.end, _by_staff())
        .group_by(AuditEntry.action)
    )
    return {action: ActionCount(int(n), int(actors)) for action, n, actors in rows.all()}


async def _by_actor(session: AsyncSession, period: Period) -> dict[int, int]:
    rows = await session.execute(
        select(AuditEntry.actor_id, func.count())
        .where(AuditEntry.created_at >= period.start, AuditEntry.created_at < period.end, _by_staff())
        .group_by(AuditEntry.actor_id)
    )
    return {int(actor): int(n) for actor, n in rows.all() if actor is not None}


async def _active_staff(session: AsyncSession, period: Period) -> int:
    return await count_in_period(
        session,
        period,
        AuditEntry.created_at,
        _by_staff(),
        counted=func.count(AuditEntry.actor_id.distinct()),
    )


async def _refused(session: AsyncSession, period: Period) -> int:
    return await count_in_period(
        session, period, AuditEntry.created_at, AuditEntry.action.like(f"%{REFUSED_SUFFIX}")
    )
