"""Per-user flood control: more than N messages in a window → one notice, the rest dropped."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum

from bot.clock import SystemClock, process_clock


class FloodVerdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # first message over the limit: tell the user once
    DROP = "drop"


@dataclass
class FloodGate:
    max_messages: int = 20
    window_seconds: float = 10.0
    clock: SystemClock = field(default_factory=process_clock)
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _notified: dict[int, float] = field(default_factory=dict)

    def check(self, user_id: int, now: float | None = None) -> FloodVerdict:
        now = self.clock.monotonic() if now is None else now
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        times.append(now)
        if len(times) <= self.max_messages:
            return FloodVerdict.ALLOW
        last_notice = self._notified.get(user_id)
        if last_notice is None or now - last_notice >= self.window_seconds:
            self._notified[user_id] = now
            return FloodVerdict.NOTIFY
        return FloodVerdict.DROP

    def forget_idle(self, now: float | None = None) -> None:
        """Drop users who have been quiet for a window, so memory stays bounded."""
        now = self.clock.monotonic() if now is None else now
        for user_id in [u for u, t in self._seen.items() if not t or now - t[-1] >= self.window_seconds]:
            self._seen.pop(user_id, None)
            self._notified.pop(user_id, None)
