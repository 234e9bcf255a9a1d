"""The one clock: every "now" in the bot comes from here.

``SystemClock`` reads the machine's time; it is the only code that does. ``ShiftedClock`` runs at
the real pace from an instant of the caller's choosing (tests pin the middle of a month and move to
month, quarter and year ends when they mean to; the console could replay a day). The application
installs its clock as the process clock (``use_clock``), so column defaults and services that are
not handed a ``now`` read the same time as the scheduler, the pacer and the reports.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


class SystemClock:
    """Wall-clock time, timezone-aware; the local zone is BOT_TIMEZONE."""

    def __init__(self, tz: ZoneInfo = DEFAULT_TZ) -> None:
        self.tz = tz

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def local_now(self) -> datetime:
        """The current instant in the bot's time zone (for dates, periods and "today")."""
        return self.now().astimezone(self.tz)

    def timestamp(self) -> float:
        """Epoch seconds; comparable across processes (the shared broadcast pace uses it)."""
        return self.now().timestamp()

    def monotonic(self) -> float:
        """Seconds that never go backwards, for intervals inside one process (flood control)."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ShiftedClock(SystemClock):
    """Time that flows at the real pace from a chosen instant; ``set`` and ``advance`` move it."""

    def __init__(self, start: datetime, tz: ZoneInfo = DEFAULT_TZ) -> None:
        super().__init__(tz)
        self.set(start)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("ShiftedClock needs a timezone-aware instant")
        self._offset = instant.astimezone(UTC) - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


_process_clock: SystemClock = SystemClock()


def use_clock(clock: SystemClock) -> None:
    """Make ``clock`` the process clock (the application does this when it is built)."""
    global _process_clock
    _process_clock = clock


def process_clock() -> SystemClock:
    return _process_clock


def utcnow() -> datetime:
    """Now, in UTC, from the process clock (for column defaults and code without a context)."""
    return _process_clock.now()
