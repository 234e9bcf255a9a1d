"""Timezone-aware time helpers: the bot never uses a naive datetime. "Now" comes from bot.clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.clock import DEFAULT_TZ, utcnow

__all__ = ["DEFAULT_TZ", "TYPED_YEARS", "ensure_aware", "format_local", "local", "typed_date_ok", "utcnow"]

# Years a date typed by a person may name (a shift, a voting round, a report month, an /audit start).
# The campaign's dates are all here; year 1 or 9999 would overflow on conversion to UTC or when
# weeks are added, so such input is refused like any other bad date.
TYPED_YEARS = range(2000, 2100)


def typed_date_ok(value: date) -> bool:
    """Whether a typed date (or datetime) lies in ``TYPED_YEARS``."""
    return value.year in TYPED_YEARS


def ensure_aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local(value: datetime, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    return ensure_aware(value).astimezone(tz)


def format_local(value: datetime, tz: ZoneInfo = DEFAULT_TZ, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local(value, tz).strftime(fmt)
