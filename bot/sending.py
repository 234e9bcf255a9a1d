"""The one sender: claims work from its sources, sends it at the global pace, best priority first.

A *source* is a table of things to send (the outbox, broadcast deliveries); it knows how to claim
rows, perform one (send it and record the outcome) and give back claims it did not use. The sender
is the same for every source: one producer claims ahead, up to a batch per source; consumers take a
send slot from the shared ``Pacer`` (``bot.broadcast_delivery``) and only then pick the most urgent
job held — so an owed message claimed while a 10,000-recipient broadcast runs is sent at the next
slot, not behind the broadcast's queue.

The producer sleeps until a source's next poll, or until ``wake()`` — the outbox calls it after a
commit that wrote rows, so an idle bot sends within a few milliseconds of the commit. Other
processes see the rows at their next poll.

Crash safety is each source's: a row is marked claimed (committed) before it is sent and recorded
right after; claims of a dead sender are released by ``release_stale`` (same host and process gone,
or lease expired).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import os
import socket
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock, process_clock
from bot.database import transaction

if TYPE_CHECKING:
    from bot.broadcast_delivery import Pacer

log = logging.getLogger(__name__)

SENDER_RESOURCE = "sender"  # bot_data.resources key of the process's running sender
SEND_TIMES_KEPT = 100_000


@dataclass
class SenderStats:
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    # The slots of the latest attempts (bounded: a long-running bot must not keep one per send).
    send_times: deque[float] = field(default_factory=lambda: deque(maxlen=SEND_TIMES_KEPT))


class Source(Protocol):
    """One table the sender drains."""

    name: str

    async def release_stale(self, session: AsyncSession, now: datetime, lease_seconds: float) -> int:
        """Give back claims of senders that died."""
        ...

    async def claim(
        self, session: AsyncSession, worker_id: str, now: datetime, limit: int
    ) -> list[tuple[int, Any]]:
        """Claim up to ``limit`` runnable items as (priority, item); lower priority goes first."""
        ...

    async def perform(self, item: Any, slot: float, sender: Sender) -> None:
        """Send ``item`` (its slot has come) and record the outcome."""
        ...

    async def give_back(self, session: AsyncSession, worker_id: str, items: list[Any]) -> None:
        """Release claimed items that were not attempted (the sender is stopping)."""
        ...

    async def has_open_work(self, session: AsyncSession, now: datetime) -> bool:
        """Anything left to send, now or after a retry wait (``run_until_idle`` stops when none is)."""
        ...

    def attach(self, sender: Sender) -> None:
        """The sender starts pumping (e.g. subscribe it to wake-ups)."""
        ...

    def detach(self, sender: Sender) -> None: ...


# ---------------------------------------------------------------- claims and leases (every source)
def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def release_stale(
    session: AsyncSession, model: Any, pending: Any, claimed: Any, now: datetime, lease_seconds: float
) -> int:
    """Claims of ``model`` rows whose sender died go back to ``pending``: same host and process
    gone, or lease expired. ``model`` has ``status``, ``claimed_by`` and ``claimed_at``."""
    released = 0
    host = socket.gethostname()[:30]
    holders = await session.scalars(select(model.claimed_by).where(model.status == claimed).distinct())
    dead = []
    for holder in holders:
        parts = (holder or "").split(":")
        if len(parts) == 3 and parts[0] == host and parts[1].isdigit() and not _pid_alive(int(parts[1])):
            dead.append(holder)
    release = update(model).values(status=pending, claimed_by=None, claimed_at=None)
    if dead:
        result = await session.execute(release.where(model.status == claimed, model.claimed_by.in_(dead)))
        released += int(getattr(result, "rowcount", 0))
    result = await session.execute(
        release.where(model.status == claimed, model.claimed_at < now - timedelta(seconds=lease_seconds))
    )
    return released + int(getattr(result, "rowcount", 0))


# ---------------------------------------------------------------- the sender
class Sender:
    """Claims from its sources in small batches and sends through a ``Pacer``; one per process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sources: Sequence[Source],
        *,
        pacer: Pacer,
        clock: SystemClock | None = None,
        worker_id: str | None = None,
        lease_seconds: float = 120.0,
        poll_seconds: float = 1.0,
        concurrency: int | None = None,
    ) -> None:
        self.sessions = sessions
        self.sources = list(sources)
        self.pacer = pacer
        self.clock = clock or process_clock()
        self.worker_id = worker_id or new_worker_id()
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        rate = pacer.rate
        # Enough coroutines that one slow answer does not make the next slot late.
        self.concurrency = concurrency or max(2, min(8, math.ceil(rate / 15)))
        self.batch_size = max(self.concurrency, min(200, math.ceil(rate / 2)))
        self.stats = SenderStats()
        self._woken = asyncio.Event()
        self._wake_requests: set[int] = set()  # indices of the sources asked to look now
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self, source: Source | None = None) -> None:
        """Look for work in ``source`` (every source when None) now. Safe from any thread; a no-op
        when the sender is not running."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        indices = range(len(self.sources)) if source is None else [self.sources.index(source)]

        def request() -> None:
            self._wake_requests.update(indices)
            self._woken.set()

        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(request)

    def _take_wake_requests(self) -> set[int]:
        self._woken.clear()
        requests, self._wake_requests = self._wake_requests, set()
        return requests

    # ------------------------------------------------------------ the pump
    async def _pump(self, should_stop: Callable[[], bool], stop_when_idle: bool) -> None:
        """One producer claims ahead (≤ two batches per source); consumers send at the pace.

        Claiming while sending keeps the slot sequence busy: a sender that stopped to claim would
        let its slots go by unused.
        """
        sources = self.sources
        heap: list[tuple[int, int, int, Any]] = []  # (priority, sequence, source index, item)
        held = [0] * len(sources)
        next_poll = [0.0] * len(sources)  # monotonic time a drained source is looked at again
        order = itertools.count()
        changed = asyncio.Event()  # the heap grew, or the producer finished
        gated = 0  # consumers waiting for a slot, each promised one held job
        active = 0  # jobs being performed
        finished = False
        failure: BaseException | None = None
        poll = min(0.2, self.poll_seconds) if stop_when_idle else self.poll_seconds
        last_release = -math.inf

        async def claim_round(woken: bool) -> bool:
            """Claim from every source that has room and is due; True when anything was claimed."""
            nonlocal last_release
            now_mono = self.clock.monotonic()
            due = [i for i in range(len(sources)) if held[i] < self.batch_size and next_poll[i] <= now_mono]
            if not due:
                return False
            claimed = False
            async with transaction(self.sessions) as session:
                now = self.clock.now()
                # Dead senders' claims are looked for on polls, not on wake-ups (they are urgent).
                if not woken and now_mono - last_release >= self.poll_seconds:
                    last_release = now_mono
                    for source in sources:
                        await source.release_stale(session, now, self.lease_seconds)
                for i in due:
                    # A whole batch whenever fewer than a batch are held (at most two held): claiming
                    # in dribs would take the database's write lock for one row at a time.
                    room = self.batch_size
                    items = await sources[i].claim(session, self.worker_id, now, room)
                    for priority, item in items:
                        heapq.heappush(heap, (priority, next(order), i, item))
                    held[i] += len(items)
                    claimed = claimed or bool(items)
                    # A source that had fewer runnable rows than room is drained until its next poll.
                    next_poll[i] = 0.0 if len(items) >= room else now_mono + poll
                if claimed:
                    await self.pacer.prefill(session)  # last: the slots start after this commit
            if claimed:
                changed.set()
            return claimed

        async def idle() -> bool:
            if heap or active or gated:
                return False
            async with transaction(self.sessions) as session:
                now = self.clock.now()
                for source in sources:
                    if await source.has_open_work(session, now):
                        return False
            return True

        async def producer() -> None:
            while not should_stop():
                woken = self._take_wake_requests()  # a commit during the round sets it again
                for i in woken:
                    next_poll[i] = 0.0  # rows were committed there: look now
                if await claim_round(bool(woken)):
                    continue
                if stop_when_idle and all(h == 0 for h in held) and await idle():
                    return
                now_mono = self.clock.monotonic()
                waits = [next_poll[i] - now_mono for i in range(len(sources)) if held[i] < self.batch_size]
                # A full source gets room as soon as a job goes out: look again shortly.
                wait = 0.02 if len(waits) < len(sources) else max(0.0, min(waits))
                deadline = now_mono + wait
                while not should_stop() and not self._woken.is_set():
                    left = deadline - self.clock.monotonic()
                    if left <= 0:
                        break
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._woken.wait(), min(0.05, left))

        async def consumer() -> None:
            nonlocal gated, active
            while True:
                while len(heap) <= gated:
                    if finished or should_stop():
                        return
                    changed.clear()
                    await changed.wait()
                if should_stop():
                    return
                gated += 1
                try:
                    slot = await self.pacer.acquire(should_stop)
                finally:
                    gated -= 1
                if slot is None:
                    return
                _, _, index, item = heapq.heappop(heap)  # the most urgent job at this moment
                held[index] -= 1
                active += 1
                try:
                    await sources[index].perform(item, slot, self)
                except Exception:
                    log.exception("%s: a send failed to record; its claim will expire", sources[index].name)
                finally:
                    active -= 1
                    changed.set()

        async def produce_then_close() -> None:
            nonlocal finished, failure
            try:
                await producer()
            except Exception as error:
                failure = error
            finally:
                finished = True
                changed.set()

        await asyncio.gather(produce_then_close(), *(consumer() for _ in range(self.concurrency)))
        if heap:  # stopping: give back what was claimed but not attempted
            async with transaction(self.sessions) as session:
                for i, source in enumerate(sources):
                    items = [item for _, _, index, item in heap if index == i]
                    if items:
                        await source.give_back(session, self.worker_id, items)
        if failure is not None:
            raise failure

    # ------------------------------------------------------------ loops
    async def run(self, should_stop: Callable[[], bool]) -> None:
        """The long-running loop inside the bot: poll, send, until ``should_stop()``."""
        names = "+".join(s.name for s in self.sources)
        log.info("sender %s (%s) started (%.1f msg/s)", self.worker_id, names, self.pacer.rate)
        self._attach()
        try:
            while not should_stop():
                try:
                    await self._pump(should_stop, stop_when_idle=False)
                except Exception:
                    log.exception("sender failed; restarting shortly")
                    await self.clock.sleep(1.0)
        finally:
            self._detach()
        log.info("sender %s stopped", self.worker_id)

    async def run_until_idle(self) -> None:
        """Send until nothing is pending or waiting for a retry (tests, CLI, benchmark)."""
        self._attach()
        try:
            await self._pump(lambda: False, stop_when_idle=True)
        finally:
            self._detach()

    def _attach(self) -> None:
        self._loop = asyncio.get_running_loop()
        for source in self.sources:
            source.attach(self)

    def _detach(self) -> None:
        for source in self.sources:
            source.detach(self)
