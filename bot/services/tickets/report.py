"""The report's figures on tickets: per category, per department and overall, for one period (the
sections that show them, and the 红黑榜 of departments, are ``handlers.tickets.report``).

Every number is an aggregate query (GROUP BY with COUNT/SUM/AVG; medians by a window query, see
``median_by_group``); Python only arranges the per-group results into rows.

Definitions (the issue left them open):
- received: tickets created in the period, duplicates (重复件, merged into another ticket) excluded;
- resolved: tickets resolved in the period (``resolved_at`` is set when a ticket is resolved and
  cleared when it is reopened, so a reopened one counts when it is resolved again; no status filter,
  which also lets the database use the ``resolved_at`` index); on time: resolved by its due time;
- overdue now: open tickets past their due time at the moment the report is made (a snapshot, so it
  has no previous-period value);
- median time to resolve: created → resolved, in hours, over the tickets resolved in the period;
- satisfaction: the average 1–5 rating of the tickets resolved in the period that were rated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Ticket, TicketStatus
from bot.services.reports.core import Period, ReportEnv, hours_between, median_by_group, ratio
from bot.timeutil import utcnow

OPEN = (TicketStatus.RECEIVED, TicketStatus.ACCEPTED)
BOARD_SIZE = 3  # departments on each of the 红榜 and the 黑榜
BOARD_MIN_RESOLVED = 3  # a department needs this many resolved tickets in the period to be ranked


@dataclass
class GroupFigures:
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    rating_sum: float = 0.0
    rated: int = 0
    median_hours: float | None = None
    overdue_now: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.resolved)

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None


async def counts_by_pair(
    session: AsyncSession, period: Period, *, overdue_now: bool
) -> dict[tuple[str, str], GroupFigures]:
    """(category, department) → counts, in one scan: received and resolved by conditional sums.

    The pairs are few (a category mostly belongs to one department), so the per-category,
    per-department and overall figures are sums of these aggregate rows.
    """
    created = (Ticket.created_at >= period.start) & (Ticket.created_at < period.end)
    resolved = (Ticket.resolved_at >= period.start) & (Ticket.resolved_at < period.end)
    received = created & (Ticket.status != TicketStatus.DUPLICATE)
    on_time = resolved & (Ticket.due_at.is_(None) | (Ticket.resolved_at <= Ticket.due_at))
    rows = await session.execute(
        select(
            Ticket.category_id,
            Ticket.department_id,
            func.sum(case((received, 1), else_=0)),
            func.sum(case((resolved, 1), else_=0)),
            func.sum(case((on_time, 1), else_=0)),
            func.sum(case((resolved, Ticket.rating))),
            func.count(case((resolved, Ticket.rating))),
        )
        .where(created | resolved)
        .group_by(Ticket.category_id, Ticket.department_id)
    )
    pairs: dict[tuple[str, str], GroupFigures] = {}
    for category, department, n_received, n_resolved, n_on_time, rating_sum, rated in rows.all():
        pairs[(category, department)] = GroupFigures(
            received=int(n_received or 0),
            resolved=int(n_resolved or 0),
            on_time=int(n_on_time or 0),
            rating_sum=float(rating_sum or 0),
            rated=int(rated or 0),
        )
    if overdue_now:  # open and past due: the (status, due_at) index finds them
        overdue = await session.execute(
            select(Ticket.category_id, Ticket.department_id, func.count())
            .where(Ticket.status.in_(OPEN), Ticket.due_at < utcnow())
            .group_by(Ticket.category_id, Ticket.department_id)
        )
        for category, department, n in overdue.all():
            pairs.setdefault((category, department), GroupFigures()).overdue_now = int(n)
    return pairs


GROUPS: dict[str, Any] = {
    "category": Ticket.category_id,
    "department": Ticket.department_id,
    "all": literal("all"),
}


def _group_key(group: str, category: str, department: str) -> str:
    return {"category": category, "department": department}.get(group, "all")


async def shared_figures(
    session: AsyncSession,
    env: ReportEnv,
    period: Period,
    group: str,
    *,
    overdue_now: bool = True,
    medians: bool = True,
) -> dict[str, GroupFigures]:
    """Figures per category, department or "all" for one period, memoised for the whole report.

    Counts come from ``counts_by_pair`` (one scan per period); medians need the group's own
    ordered window, so they are one ``median_by_group`` query per grouping.
    """
    key = ("tickets", period.kind, period.key, group, overdue_now, medians)
    if key in env.memo:
        return env.memo[key]
    pairs_key = ("tickets-pairs", period.kind, period.key, overdue_now)
    if pairs_key not in env.memo:
        env.memo[pairs_key] = await counts_by_pair(session, period, overdue_now=overdue_now)
    groups: dict[str, GroupFigures] = {}
    for (category, department), pair in env.memo[pairs_key].items():
        total = groups.setdefault(_group_key(group, category, department), GroupFigures())
        total.received += pair.received
        total.resolved += pair.resolved
        total.on_time += pair.on_time
        total.rating_sum += pair.rating_sum
        total.rated += pair.rated
        total.overdue_now += pair.overdue_now
    resolved = (Ticket.resolved_at >= period.start, Ticket.resolved_at < period.end)
    hours = hours_between(session, Ticket.created_at, Ticket.resolved_at)
    median_rows = await session.execute(median_by_group(GROUPS[group], hours, *resolved)) if medians else None
    for name, median in median_rows.all() if median_rows is not None else []:
        groups.setdefault(str(name), GroupFigures()).median_hours = (
            float(median) if median is not None else None
        )
    env.memo[key] = groups
    return groups


def rank_departments(current: Mapping[str, GroupFigures]) -> list[tuple[str, GroupFigures]]:
    """Best first: on-time rate, then satisfaction (unrated last), then more resolved."""
    ranked = [(key, f) for key, f in current.items() if f.resolved >= BOARD_MIN_RESOLVED]
    ranked.sort(
        key=lambda item: (
            -(item[1].on_time_rate or 0.0),
            -(item[1].satisfaction if item[1].satisfaction is not None else -1.0),
            -item[1].resolved,
            item[0],
        )
    )
    return ranked


def boards(ranked: list[tuple[str, GroupFigures]]) -> tuple[list[str], list[str]]:
    """(红榜, 黑榜): the top and the bottom BOARD_SIZE, never the same department on both."""
    size = min(BOARD_SIZE, len(ranked) // 2)
    red = [key for key, _ in ranked[:size]]
    black = [key for key, _ in ranked[len(ranked) - size :]][::-1] if size else []
    return red, black
