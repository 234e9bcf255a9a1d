"""Timezone-aware time helpers: the bot never uses a naive datetime. "Now" comes from bot.clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.clock import DEFAULT_TZ, utcnow

__all__ = ["DEFAULT_TZ", "ensure_aware", "format_local", "local", "utcnow"]


def ensure_aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local(value: datetime, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    return ensure_aware(value).astimezone(tz)


def format_local(value: datetime, tz: ZoneInfo = DEFAULT_TZ, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local(value, tz).strftime(fmt)
