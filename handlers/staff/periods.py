"""Reading the periods people type for /report and `chuangwen report`.

"month" / "月报" …, then 2026-11, 2026年3月, 2026/1 for a month or 2026-Q4, 2026q2, 2026年第三季度 for
a quarter; nothing means the last complete one. A period that has not started is refused by
``bot.services.reports.require_started``.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.reports import Period, PeriodError, PeriodKind, PeriodProblem, require_started
from handlers.staff import texts

YEARS = range(2000, 2101)  # a typed year outside this is a typo, not a report anyone wants
INPUT_ECHO = 32
EXAMPLES = {PeriodKind.MONTH: "2026-11", PeriodKind.QUARTER: "2026-Q4"}

_MONTH = re.compile(texts.MONTH_PATTERN)
_QUARTER = re.compile(texts.QUARTER_PATTERN)


def parse_kind(value: str) -> PeriodKind:
    word = value.strip().lower()
    for kind in PeriodKind:
        if word in texts.PERIOD_KIND_WORDS[kind.value]:
            return kind
    raise PeriodError(PeriodProblem.UNKNOWN_KIND)


def parse_period(kind: PeriodKind, value: str | None, now: datetime, tz: ZoneInfo) -> Period:
    """``2026-11`` for a month, ``2026-Q4`` for a quarter; None or blank: the last complete period."""
    if value is None or not value.strip():
        return Period.last_complete(kind, now, tz)
    text = value.strip()[:INPUT_ECHO]
    period: Period | None = None
    if kind is PeriodKind.MONTH and (m := _MONTH.fullmatch(text)) and 1 <= int(m.group(2)) <= 12:
        period = Period(kind, int(m.group(1)), int(m.group(2)), tz)
    elif kind is PeriodKind.QUARTER and (q := _QUARTER.fullmatch(text)):
        digit = q.group(2)
        period = Period(kind, int(q.group(1)), texts.QUARTER_NUMERALS.get(digit) or int(digit), tz)
    if period is None or period.year not in YEARS:
        raise PeriodError(PeriodProblem.UNREADABLE, value=text, example=EXAMPLES[kind])
    return require_started(period, now)
