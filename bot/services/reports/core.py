"""The supervision report's engine: periods, sections from providers, and SQL helpers.

A report is a list of ``ReportSection``s. Each feature declares its providers
(``async def provider(session, period, env) -> ReportSection``) as ``SectionSpec``s in its manifest;
the providers run aggregate SQL for the period and for the previous one. The renderers (text, PNG,
XLSX: ``handlers/staff/rendering.py``) consume sections generically, knowing nothing of complaints
or volunteers. No wording here: errors are codes, labels and titles are the staff feature's views.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SHIPPED_DATA_DIR
from bot.services import DomainError
from bot.timeutil import DEFAULT_TZ, utcnow
from bot.yaml_files import parse_yaml


class PeriodProblem(StrEnum):
    UNKNOWN_KIND = "report.unknown_kind"  # neither month nor quarter
    UNREADABLE = "report.unreadable_period"  # value, example
    MONTH_NOT_STARTED = "report.month_not_started"  # year, number
    QUARTER_NOT_STARTED = "report.quarter_not_started"  # year, number


class PeriodError(DomainError):
    """A period that cannot be read, or has not started yet."""

    def __init__(self, problem: PeriodProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class Period:
    """A calendar month or quarter in the bot's time zone; ``start``/``end`` are UTC instants."""

    kind: PeriodKind
    year: int
    number: int  # month 1–12, or quarter 1–4
    tz: ZoneInfo = DEFAULT_TZ

    @property
    def first_month(self) -> int:
        return self.number if self.kind is PeriodKind.MONTH else 3 * (self.number - 1) + 1

    @property
    def months(self) -> int:
        return 1 if self.kind is PeriodKind.MONTH else 3

    @property
    def local_start(self) -> datetime:
        return datetime(self.year, self.first_month, 1, tzinfo=self.tz)

    @property
    def local_end(self) -> datetime:
        month_index = self.year * 12 + self.first_month - 1 + self.months
        return datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=self.tz)

    @property
    def start(self) -> datetime:
        return self.local_start.astimezone(UTC)

    @property
    def end(self) -> datetime:
        return self.local_end.astimezone(UTC)

    def shifted(self, steps: int) -> Period:
        per_year = 12 if self.kind is PeriodKind.MONTH else 4
        index = self.year * per_year + self.number - 1 + steps
        return Period(self.kind, index // per_year, index % per_year + 1, self.tz)

    def previous(self) -> Period:
        return self.shifted(-1)

    def next(self) -> Period:
        return self.shifted(1)

    @property
    def key(self) -> str:
        return (
            f"{self.year}-{self.number:02d}"
            if self.kind is PeriodKind.MONTH
            else f"{self.year}-Q{self.number}"
        )

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    @classmethod
    def containing(cls, kind: PeriodKind, instant: datetime, tz: ZoneInfo = DEFAULT_TZ) -> Period:
        local = instant.astimezone(tz)
        number = local.month if kind is PeriodKind.MONTH else (local.month - 1) // 3 + 1
        return cls(kind, local.year, number, tz)

    @classmethod
    def from_key(cls, kind: PeriodKind, key: str, tz: ZoneInfo = DEFAULT_TZ) -> Period:
        """The period ``key`` names ("2026-11", "2026-Q4"); ValueError for anything else."""
        shape = _MONTH_KEY if kind is PeriodKind.MONTH else _QUARTER_KEY
        match = shape.fullmatch(key)
        if match is None:
            raise ValueError(f"not a {kind.value} key: {key!r}")
        return cls(kind, int(match.group(1)), int(match.group(2)), tz)

    @classmethod
    def last_complete(
        cls, kind: PeriodKind, now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ
    ) -> Period:
        """The default for /report: the latest period that has ended."""
        return cls.containing(kind, now or utcnow(), tz).previous()


_MONTH_KEY = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_QUARTER_KEY = re.compile(r"(\d{4})-Q([1-4])")


def require_started(period: Period, now: datetime) -> Period:
    """``period`` itself; PeriodError when it has not started at ``now`` (it has no data yet)."""
    if period.start > now:
        problem = (
            PeriodProblem.MONTH_NOT_STARTED
            if period.kind is PeriodKind.MONTH
            else PeriodProblem.QUARTER_NOT_STARTED
        )
        raise PeriodError(problem, year=period.year, number=period.number)
    return period


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # stored as a fraction 0–1
    HOURS = "hours"
    SCORE = "score"


@dataclass(frozen=True)
class Metric:
    """One headline number with the previous period's value for comparison."""

    label: str
    current: float | None
    previous: float | None
    unit: Unit = Unit.COUNT
    better: Better = Better.HIGHER

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    units: Sequence[Unit | None] | None = None  # per column, for formatting (None: as is)


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one bar group per category, one bar per series."""

    title: str
    categories: Sequence[str]
    series: dict[str, Sequence[float]]


def table_chart(
    title: str, rows: Sequence[Sequence[Any]], series: dict[str, int], *, limit: int | None = None
) -> Chart | None:
    """A section's table as a bar chart: one bar group per row (its first column the label), one
    series per named column; the first ``limit`` rows; None when the table is empty."""
    top = rows[:limit] if limit is not None else rows
    if not top:
        return None
    return Chart(
        title,
        [str(r[0]) for r in top],
        {name: [float(r[column]) for r in top] for name, column in series.items()},
    )


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    metrics: Sequence[Metric] = ()
    tables: Sequence[Table] = ()
    chart: Chart | None = None
    highlights: Sequence[str] = ()  # extra lines for the text summary (e.g. the 红黑榜 names)


@dataclass(frozen=True)
class Report:
    period: Period
    generated_at: datetime
    sections: Sequence[ReportSection]

    @property
    def filename_stem(self) -> str:
        return f"chuangwen-report-{self.period.key}"


class ReportEnv:
    """What providers may need besides the database: display names from the data directory."""

    def __init__(self, data_dir: Path = SHIPPED_DATA_DIR) -> None:
        self.data_dir = data_dir
        # Results shared by sections of one report (e.g. department figures for two sections).
        self.memo: dict[Any, Any] = {}

    @cached_property
    def department_names(self) -> dict[str, str]:
        from bot.services.classifier import load_departments

        return {key: d.name for key, d in load_departments(self.data_dir / "departments.yaml").items()}

    @cached_property
    def category_names(self) -> dict[str, str]:
        from bot.services.classifier import TRIAGE_ID

        raw = parse_yaml((self.data_dir / "complaint_categories.yaml").read_text("utf-8")) or {}
        names = {str(c["id"]): str(c["name"]) for c in raw.get("categories") or [] if "id" in c}
        names[TRIAGE_ID] = str((raw.get("settings") or {}).get("triage_name", TRIAGE_ID))
        return names


SectionProvider = Callable[[AsyncSession, Period, ReportEnv], Awaitable[ReportSection]]


@dataclass(frozen=True)
class SectionSpec:
    """One section of the report, declared in its feature's manifest; sections appear in ``order``.

    ``provider(session, period, env)`` runs aggregate SQL for ``period`` and ``period.previous()``
    and returns one ``ReportSection``; it must not load rows to count them in Python.
    """

    key: str
    provider: SectionProvider
    order: int = 100


async def build_report(
    session: AsyncSession,
    period: Period,
    sections: Sequence[SectionSpec],
    *,
    now: datetime | None = None,
    only: Sequence[str] | None = None,
    env: ReportEnv | None = None,
) -> Report:
    """The report of ``period`` from ``sections`` (all features': ``handlers.report_sections()``)."""
    env = env or ReportEnv()
    built = [
        await spec.provider(session, period, env)
        for spec in sorted(sections, key=lambda s: (s.order, s.key))
        if only is None or spec.key in only
    ]
    return Report(period, now or utcnow(), built)


# ------------------------------------------------------------------------- SQL helpers
def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def hours_between(session: AsyncSession, start: Any, end: Any) -> ColumnElement[Any]:
    """(end - start) in hours, computed by the database."""
    if dialect_name(session) == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * literal(24.0)
    return func.extract("epoch", end - start) / literal(3600.0)


def median_by_group(group: ColumnElement[Any], value: ColumnElement[Any], *where: Any) -> Select[Any]:
    """Per-group median, in SQL on both SQLite and PostgreSQL (SQLite has no percentile_cont).

    A window numbers each group's values in order (ROW_NUMBER) and counts them (COUNT OVER); the outer
    query keeps the middle one (odd count) or two (even count) and averages them, grouped. The rows
    never leave the database: the result is one row per group.
    """
    ranked = (
        select(
            group.label("g"),
            value.label("v"),
            func.row_number().over(partition_by=group, order_by=value).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(*where)
        .subquery()
    )
    return (
        select(ranked.c.g, func.avg(ranked.c.v))
        .where(ranked.c.rn.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2))
        .group_by(ranked.c.g)
    )


async def count_in_period(
    session: AsyncSession, period: Period, column: Any, *where: Any, counted: Any = None
) -> int:
    """One COUNT query: the rows whose ``column`` falls in the period (and match ``where``);
    ``counted`` counts something else than rows (e.g. distinct actors)."""
    counted = func.count() if counted is None else counted
    return int(
        await session.scalar(select(counted).where(column >= period.start, column < period.end, *where)) or 0
    )


def ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole
