"""Scores and rectification figures per period, in aggregate SQL (GROUP BY and window functions);
Python only arranges the per-group result rows.

Definitions:
- site score: 100 − the points of its failed items (not below 0), per inspection;
- a period's site score: its latest submitted inspection in the period (ROW_NUMBER over the site's
  inspections, newest first); a unit's and a district's score: the mean of their sites' period
  scores (a site counts for the unit responsible for it at that inspection);
- rectification, over the tasks issued in the period: on time = passed, with the accepted answer
  given by the deadline then in force; late = answered after its deadline, or still the unit's to
  do past it now; tasks neither yet (answered on time and awaiting re-check, or not yet due) wait;
  the on-time rate is on time ÷ (on time + late);
- repeat failure: the same item failed at the same site in two or more inspections of the period;
- the 督查红黑榜 ranks every unit with sites inspected or tasks issued in the period by a combined
  score: the mean of the parts it has — its site score, and its on-time rate × 100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Inspection,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    RectificationStatus,
    RectificationTask,
)
from bot.services.reports.core import Period, ratio

OPEN = (RectificationStatus.PENDING, RectificationStatus.RETURNED)
REPEAT_MINIMUM = 2
BOARD_SIZE = 3  # units on each of the 红榜 and the 黑榜
LOWEST_SITES = 10


@dataclass
class ScoreGroup:
    sites: int = 0
    inspections: int = 0
    score_sum: float = 0.0

    @property
    def score(self) -> float | None:
        return self.score_sum / self.sites if self.sites else None


@dataclass
class TaskFigures:
    issued: int = 0
    passed: int = 0
    on_time: int = 0
    late: int = 0
    open_now: int = 0
    overdue_now: int = 0
    returned: int = 0  # tasks returned at least once
    escalated: int = 0  # tasks that reached 督办 at least once

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)

    def add(self, other: TaskFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class SiteScore:
    site_id: str
    unit_id: str
    district: str
    score: float
    inspections: int


@dataclass(frozen=True)
class Repeat:
    site_id: str
    item_id: str
    unit_id: str
    times: int


@dataclass
class PeriodFigures:
    """Everything the report and /inspections say about one period."""

    inspections: int = 0
    items: int = 0  # answered 合格 or 不合格 (不适用 aside)
    failed_items: int = 0
    negative_failed: int = 0
    location_mismatches: int = 0
    overall: ScoreGroup = field(default_factory=ScoreGroup)
    by_unit: dict[str, ScoreGroup] = field(default_factory=dict)
    by_district: dict[str, ScoreGroup] = field(default_factory=dict)
    tasks: TaskFigures = field(default_factory=TaskFigures)
    tasks_by_unit: dict[str, TaskFigures] = field(default_factory=dict)
    lowest_sites: list[SiteScore] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return ratio(self.items - self.failed_items, self.items)

    def repeats_by_unit(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for repeat in self.repeats:
            counts[repeat.unit_id] = counts.get(repeat.unit_id, 0) + 1
        return counts


def _in(period: Period, column: Any) -> Any:
    return and_(column >= period.start, column < period.end)


async def period_figures(session: AsyncSession, period: Period, now: datetime) -> PeriodFigures:
    """The period's inspection and rectification figures (a handful of aggregate queries)."""
    figures = PeriodFigures()
    submitted = and_(Inspection.status == InspectionStatus.SUBMITTED, _in(period, Inspection.submitted_at))

    # Inspections: how many, and how many walked far from their site.
    row = (
        await session.execute(
            select(func.count(), func.sum(case((Inspection.location_mismatch, 1), else_=0))).where(submitted)
        )
    ).one()
    figures.inspections, figures.location_mismatches = int(row[0] or 0), int(row[1] or 0)

    # Each site's latest inspection of the period.
    ranked = (
        select(
            Inspection.site_id.label("site_id"),
            Inspection.unit_id.label("unit_id"),
            Inspection.district.label("district"),
            Inspection.score.label("score"),
            func.row_number()
            .over(
                partition_by=Inspection.site_id,
                order_by=(Inspection.submitted_at.desc(), Inspection.id.desc()),
            )
            .label("rn"),
            func.count().over(partition_by=Inspection.site_id).label("n"),
        )
        .where(submitted)
        .subquery()
    )
    latest = select(ranked).where(ranked.c.rn == 1).subquery()
    for group, target in ((latest.c.unit_id, figures.by_unit), (latest.c.district, figures.by_district)):
        rows = await session.execute(
            select(group, func.count(), func.sum(latest.c.n), func.sum(latest.c.score)).group_by(group)
        )
        for key, sites, inspections, total in rows.all():
            target[str(key)] = ScoreGroup(int(sites), int(inspections or 0), float(total or 0.0))
    overall = (
        await session.execute(select(func.count(), func.sum(latest.c.n), func.sum(latest.c.score)))
    ).one()
    figures.overall = ScoreGroup(int(overall[0] or 0), int(overall[1] or 0), float(overall[2] or 0.0))
    lowest = await session.execute(
        select(latest.c.site_id, latest.c.unit_id, latest.c.district, latest.c.score, latest.c.n)
        .order_by(latest.c.score, latest.c.site_id)
        .limit(LOWEST_SITES)
    )
    figures.lowest_sites = [
        SiteScore(str(site), str(unit), str(district), float(score or 0.0), int(n))
        for site, unit, district, score, n in lowest.all()
    ]

    # Items: answered and failed, over the period's inspections.
    failed = InspectionItem.result == ItemResult.FAIL
    row = (
        await session.execute(
            select(
                func.sum(case((InspectionItem.result.in_([ItemResult.PASS, ItemResult.FAIL]), 1), else_=0)),
                func.sum(case((failed, 1), else_=0)),
                func.sum(case((and_(failed, InspectionItem.negative), 1), else_=0)),
            )
            .join(Inspection, Inspection.id == InspectionItem.inspection_id)
            .where(submitted)
        )
    ).one()
    figures.items, figures.failed_items, figures.negative_failed = (int(v or 0) for v in row)

    # Repeat failures: (site, item) failed twice or more in the period.
    repeats = await session.execute(
        select(Inspection.site_id, InspectionItem.item_id, InspectionItem.unit_id, func.count())
        .join(Inspection, Inspection.id == InspectionItem.inspection_id)
        .where(submitted, failed)
        .group_by(Inspection.site_id, InspectionItem.item_id, InspectionItem.unit_id)
        .having(func.count() >= REPEAT_MINIMUM)
        .order_by(func.count().desc(), Inspection.site_id, InspectionItem.item_id)
    )
    figures.repeats = [Repeat(str(s), str(i), str(u), int(n)) for s, i, u, n in repeats.all()]

    # Rectification: the tasks issued in the period, per unit.
    figures.tasks_by_unit = await task_figures(session, period, now)
    for unit_figures in figures.tasks_by_unit.values():
        figures.tasks.add(unit_figures)
    return figures


async def task_figures(session: AsyncSession, period: Period, now: datetime) -> dict[str, TaskFigures]:
    """unit → figures of the tasks issued in the period, in one grouped scan."""
    task = RectificationTask
    is_open = task.status.in_(OPEN)
    on_time = and_(task.status == RectificationStatus.PASSED, task.replied_on_time.is_(True))
    late = or_(task.replied_on_time.is_(False), and_(is_open, task.due_at < now))

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = await session.execute(
        select(
            task.unit_id,
            func.count(),
            count_if(task.status == RectificationStatus.PASSED),
            count_if(on_time),
            count_if(late),
            count_if(is_open),
            count_if(and_(is_open, task.due_at < now)),
            count_if(task.round > 0),
            count_if(task.escalations > 0),
        )
        .where(_in(period, task.created_at))
        .group_by(task.unit_id)
    )
    return {str(unit): TaskFigures(*(int(v or 0) for v in values)) for unit, *values in rows.all()}


@dataclass(frozen=True)
class BoardEntry:
    unit_id: str
    combined: float
    score: float | None
    on_time_rate: float | None
    tasks: TaskFigures


def rank_units(figures: PeriodFigures) -> list[BoardEntry]:
    """Best first: the combined score (see the module docstring), then the site score, then the unit."""
    entries = []
    for unit in sorted(set(figures.by_unit) | set(figures.tasks_by_unit)):
        score = figures.by_unit.get(unit, ScoreGroup()).score
        tasks = figures.tasks_by_unit.get(unit, TaskFigures())
        rate = tasks.on_time_rate
        parts = [p for p in (score, rate * 100 if rate is not None else None) if p is not None]
        if not parts:
            continue  # tasks issued but none judged yet, and no site of its own: nothing to rank by
        entries.append(BoardEntry(unit, sum(parts) / len(parts), score, rate, tasks))
    entries.sort(key=lambda e: (-e.combined, -(e.score if e.score is not None else -1.0), e.unit_id))
    return entries


def boards(ranked: list[BoardEntry]) -> tuple[list[str], list[str]]:
    """(红榜, 黑榜): the top and the bottom BOARD_SIZE, never the same unit on both."""
    size = min(BOARD_SIZE, len(ranked) // 2)
    red = [e.unit_id for e in ranked[:size]]
    black = [e.unit_id for e in ranked[len(ranked) - size :]][::-1] if size else []
    return red, black
