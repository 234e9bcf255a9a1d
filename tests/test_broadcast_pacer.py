"""The global send pace: never more than L sends in ANY 1-second window (fake clock, no waiting)."""

from __future__ import annotations

import asyncio
import bisect
import heapq
import random
from collections.abc import Coroutine
from typing import Any, TypeVar

from bot.broadcast_delivery import LATE_TOLERANCE, MemorySlotStore, Pacer

T = TypeVar("T")


class FakeClock:
    """Virtual time: when every coroutine is asleep, jump to the earliest wake-up.

    Wake-ups may overshoot by up to ``overshoot`` seconds (a busy event loop, a slow machine).
    """

    def __init__(self, overshoot: float = 0.0, seed: int = 1) -> None:
        self.t = 1_000_000.0
        self.overshoot = overshoot
        self.random = random.Random(seed)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def timestamp(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._seq += 1
        wake = self.t + max(0.0, seconds) + self.random.uniform(0, self.overshoot)
        heapq.heappush(self._sleepers, (wake, self._seq, future))
        await future

    async def run(self, main: Coroutine[Any, Any, T]) -> T:
        task = asyncio.ensure_future(main)
        while not task.done():
            for _ in range(50):  # let every runnable coroutine reach its next sleep
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                wake, _, future = heapq.heappop(self._sleepers)
                self.t = max(self.t, wake)
                future.set_result(None)
        return task.result()


def max_in_any_window(times: list[float], width: float = 1.0) -> int:
    """The largest number of events in any half-open window [a, a + width)."""
    times = sorted(times)
    # A maximal window can always be slid so that it starts at an event.
    return max(bisect.bisect_left(times, t + width) - i for i, t in enumerate(times))


async def _drive(pacers: list[Pacer], clock: FakeClock, per_pacer: int, work: float = 0.0) -> list[float]:
    sent: list[float] = []

    async def worker(pacer: Pacer) -> None:
        for _ in range(per_pacer):
            at = await pacer.acquire()
            assert at is not None
            sent.append(at)
            if work:
                await clock.sleep(clock.random.uniform(0, work))  # time spent sending and recording

    async def main() -> None:
        await asyncio.gather(*(worker(p) for p in pacers for _ in range(3)))

    await clock.run(main())
    return sent


def test_window_counter_itself() -> None:
    assert max_in_any_window([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert max_in_any_window([0.0, 1.0, 2.0]) == 1


async def test_never_more_than_limit_in_any_window_and_close_to_limit_overall() -> None:
    clock = FakeClock()
    store = MemorySlotStore()
    limit = 25
    sent = await _drive([Pacer(limit, store, clock)], clock, per_pacer=400)
    assert len(sent) == 1200
    assert max_in_any_window(sent) <= limit
    rate = len(sent) / (max(sent) - min(sent))
    assert rate >= 0.95 * limit


async def test_late_dispatch_and_two_processes_still_respect_the_window() -> None:
    """Random lateness up to 1.5x the tolerance, and two pacers sharing one slot store (two processes)."""
    clock = FakeClock(overshoot=1.5 * LATE_TOLERANCE, seed=7)
    store = MemorySlotStore()
    limit = 30
    sent = await _drive(
        [Pacer(limit, store, clock), Pacer(limit, store, clock)], clock, per_pacer=300, work=0.01
    )
    assert max_in_any_window(sent) <= limit
    assert max_in_any_window(sent) >= limit * 0.6  # the check is not vacuous: the pace stays high


async def test_using_late_slots_would_break_the_window(monkeypatch) -> None:
    """The discard-late-slots rule is what keeps the bound under lateness (remove it: > L)."""
    monkeypatch.setattr("bot.broadcast_delivery.LATE_TOLERANCE", 10.0)
    clock = FakeClock(overshoot=0.3, seed=7)
    store = MemorySlotStore()
    sent = await _drive([Pacer(30, store, clock), Pacer(30, store, clock)], clock, per_pacer=300, work=0.01)
    assert max_in_any_window(sent) > 30


async def test_a_token_bucket_would_fail_this_check() -> None:
    """Capacity-L bucket refilled at L/s: full bucket then the refill = nearly 2L in one second."""
    limit = 25
    tokens, t, times = float(limit), 0.0, []
    while len(times) < 3 * limit:
        if tokens >= 1:
            tokens -= 1
            times.append(t)
        else:
            t += 0.001
            tokens = min(limit, tokens + limit * 0.001)
    assert max_in_any_window(times) > limit


async def test_pause_holds_everyone_back() -> None:
    clock = FakeClock()
    store = MemorySlotStore()
    first, second = Pacer(10, store, clock), Pacer(10, store, clock)

    async def scenario() -> tuple[float | None, float | None, float | None]:
        start = await first.acquire()
        await first.pause(5.0)
        after = await second.acquire()  # the other "process" learns the pause from the shared store
        again = await first.acquire()
        return start, after, again

    start, after, again = await clock.run(scenario())
    assert start is not None and after is not None and again is not None
    assert after >= start + 5.0 and again >= start + 5.0
