"""When a notice goes out: now, at a time, daily or weekly (local time), and the typed forms of those."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import ScheduleKind
from bot.services.broadcasts.errors import BroadcastError, BroadcastProblem
from bot.timeutil import DEFAULT_TZ, ensure_aware

RECURRING = (ScheduleKind.DAILY, ScheduleKind.WEEKLY)
# What staff may type instead of a date: 今天, 明天, 后天 (today, tomorrow, the day after).
RELATIVE_DAYS = {"\u4eca\u5929": 0, "\u660e\u5929": 1, "\u540e\u5929": 2}


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    send_at: datetime | None = None  # AT
    send_time: str | None = None  # DAILY/WEEKLY, "HH:MM" local
    weekday: int | None = None  # WEEKLY, 0 = Monday


def parse_hhmm(value: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2})[:\uff1a](\d{2})\s*", value)  # ":" or the full-width "："
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BroadcastError(BroadcastProblem.BAD_TIME)
    return f"{int(match[1]):02d}:{match[2]}"


def parse_datetime(value: str, tz: ZoneInfo, now: datetime) -> datetime:
    """'2026-12-01 09:30' (or 12-01 09:30, or 明天 09:30) in local time → aware UTC datetime in the future."""
    value = value.strip().replace("\uff0f", "/").replace("/", "-")  # "／" (full-width) too
    local_now = ensure_aware(now).astimezone(tz)
    match = re.fullmatch(
        rf"(?:(?:(\d{{4}})-)?(\d{{1,2}})-(\d{{1,2}})|({'|'.join(RELATIVE_DAYS)}))\s+(\d{{1,2}}[:\uff1a]\d{{2}})",
        value,
    )
    if not match:
        raise BroadcastError(BroadcastProblem.BAD_DATETIME)
    hh, mm = (int(x) for x in parse_hhmm(match[5]).split(":"))
    try:
        if match[4]:
            day = local_now.date() + timedelta(days=RELATIVE_DAYS[match[4]])
        else:
            day = date(int(match[1] or local_now.year), int(match[2]), int(match[3]))
    except ValueError:
        raise BroadcastError(BroadcastProblem.BAD_DATETIME) from None
    when = datetime.combine(day, time(hh, mm), tzinfo=tz)
    if when <= local_now:
        raise BroadcastError(BroadcastProblem.TIME_PAST)
    if when - local_now > timedelta(days=366):
        raise BroadcastError(BroadcastProblem.TIME_TOO_FAR)
    return when.astimezone(ZoneInfo("UTC"))


def next_occurrence(schedule: Schedule, after: datetime, tz: ZoneInfo = DEFAULT_TZ) -> tuple[int, datetime]:
    """The next (occurrence number, due time) strictly after ``after``; recurring only.

    Occurrences of recurring notices are numbered by their local date (YYYYMMDD), so a restart or a
    second process scheduling "the next one" lands on the same key.
    """
    assert schedule.send_time is not None
    hh, mm = (int(x) for x in schedule.send_time.split(":"))
    local_after = ensure_aware(after).astimezone(tz)
    day = local_after.date()
    for _ in range(9):
        candidate = datetime.combine(day, time(hh, mm), tzinfo=tz)
        if candidate > local_after and (
            schedule.kind is ScheduleKind.DAILY or candidate.weekday() == schedule.weekday
        ):
            return int(day.strftime("%Y%m%d")), candidate.astimezone(ZoneInfo("UTC"))
        day += timedelta(days=1)
    raise AssertionError("no occurrence within 9 days")


def task_key(broadcast_id: int, occurrence: int) -> str:
    return f"broadcast:{broadcast_id}:{occurrence}"
