"""The global send pace, and broadcast deliveries as a source of the one sender (``bot.sending``).

Nothing here knows Telegram: a source is given a ``send`` callable (``handlers.broadcasts`` adapts a
PTB ``Bot``; tests and the benchmark pass fakes) that returns the sent message id or raises one of
the ``SendError`` subclasses below. The outbox (``bot.outbox``) is the sender's other source; both
draw their slots from the same ``Pacer``, so the global limit holds for everything the bot sends.

Pace (``Pacer``): send *slots* are handed out ``1 / (SAFETY · L)`` seconds apart from one shared
store — a single database row locked for the reservation (``BroadcastRate``), so every process
draws from the same sequence. A slot is used only if the sender reaches it at most ``LATE_TOLERANCE``
late; a later one is thrown away, never used late (a late send would crowd the next slot). So the
dispatch times of all processes together lie in ``[slot, slot + tolerance]`` of distinct slots spaced
≥ Δ, and any window ``[a, a + 1)`` holds dispatches only from slots in ``(a − tolerance, a + 1)``:
at most ``ceil((1 + tolerance) / Δ) = ceil((1 + tolerance) · SAFETY · L) ≤ L`` of them, because
``(1 + 0.02) · 0.98 < 1``. A token bucket with capacity L would allow up to 2L in a window (a full
bucket at the end of one second plus the refill) — exactly the burst Telegram answers with 429.

Crash safety: a delivery is marked ``claimed`` (committed) before it is sent and marked ``sent`` in
its own transaction right after Telegram answers. A sender that dies leaves its claims behind; they
are released when their process is known dead (same host) or their lease expired, and sent then.
The only way to a duplicate is a crash between Telegram accepting a message and that one-row commit.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.clock import SystemClock, process_clock
from bot.database import transaction
from bot.models import (
    Broadcast,
    BroadcastRate,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    OutboxMessage,
    OutboxStatus,
    User,
)
from bot.sending import Sender, release_stale
from bot.services import broadcasts as service
from bot.services.users import mark_unreachable

log = logging.getLogger(__name__)

SAFETY = 0.98  # slots are spaced for 98 % of the limit: the margin absorbs dispatch lateness
LATE_TOLERANCE = 0.02  # seconds; (1 + LATE_TOLERANCE) · SAFETY must stay ≤ 1
RESERVE_LEAD = 0.01  # seconds between reserving slots and the first of them
PER_CHAT_SECONDS = 1.0  # Telegram: about one message per second to the same chat
BROADCAST_PRIORITY = 100  # after every outbox row (bot.models.Priority)


# ---------------------------------------------------------------- what the send callable may raise
class SendError(Exception):
    """A send did not go through; subclasses say what to do about it."""


class RetryLater(SendError):
    """429: slow down everyone for ``retry_after`` seconds, then try this one again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class Unreachable(SendError):
    """403: the user blocked the bot (or deleted the account); never try them again."""


class TransientSendError(SendError):
    """Network trouble or a server error: retry with backoff, give up after a limit."""


class RejectedSendError(SendError):
    """Telegram refused this message for good (400: chat not found, bad HTML…)."""


@dataclass(frozen=True)
class Outgoing:
    """One message to send, as the ``send`` callable receives it."""

    delivery_id: int
    broadcast_id: int
    chat_id: int
    text: str
    photo_file_id: str | None = None


Send = Callable[[Outgoing], Awaitable[int]]


# ---------------------------------------------------------------- the pace's clock and the shared slot store
class PaceClock(Protocol):
    """What the pacer needs of bot.clock's clock: epoch seconds (slots are compared across
    processes, so not ``monotonic``) and sleeping."""

    def timestamp(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SlotStore(Protocol):
    async def reserve(self, count: int, now: float, interval: float) -> tuple[float, float]:
        """Reserve ``count`` consecutive slots; returns (first slot time, paused_until)."""
        ...

    async def pause(self, until: float) -> None: ...


@dataclass
class MemorySlotStore:
    """The slot sequence of one process (tests, and a model of the database store)."""

    next_slot: float = 0.0
    paused_until: float = 0.0

    async def reserve(self, count: int, now: float, interval: float) -> tuple[float, float]:
        start = max(self.next_slot, now, self.paused_until)
        self.next_slot = start + count * interval
        return start, self.paused_until

    async def pause(self, until: float) -> None:
        self.paused_until = max(self.paused_until, until)
        self.next_slot = max(self.next_slot, until)


class DatabaseSlotStore:
    """The slot sequence shared by every process: one ``broadcast_rate`` row, locked per reservation.

    A row lock (``FOR UPDATE`` on PostgreSQL, the database write lock via ``BEGIN IMMEDIATE`` on
    SQLite) makes each reservation atomic; reservations are small (≈0.1 s of slots), so the lock is
    taken a few times a second per process, not once per message.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: PaceClock | None = None) -> None:
        self.sessions = sessions
        self.clock = clock or process_clock()

    async def _row(self, session: AsyncSession) -> BroadcastRate:
        row = await session.scalar(select(BroadcastRate).where(BroadcastRate.id == 1).with_for_update())
        if row is None:
            await service.ensure_rate_row(session)
            row = await session.scalar(select(BroadcastRate).where(BroadcastRate.id == 1).with_for_update())
        assert row is not None
        return row

    async def reserve(self, count: int, now: float, interval: float) -> tuple[float, float]:
        async with transaction(self.sessions) as session:
            return await self.reserve_in(session, count, now, interval)

    async def reserve_in(
        self, session: AsyncSession, count: int, now: float, interval: float
    ) -> tuple[float, float]:
        """``reserve`` inside the caller's transaction, which commits right after."""
        row = await self._row(session)
        # "now" once the lock is held, plus a little lead for the commit: a reservation that
        # starts in the past would hand out slots that are already late (and thrown away).
        now = max(now, self.clock.timestamp()) + RESERVE_LEAD
        start = max(row.next_slot, now, row.paused_until)
        row.next_slot = start + count * interval
        return start, row.paused_until

    async def pause(self, until: float) -> None:
        async with transaction(self.sessions) as session:
            row = await self._row(session)
            row.paused_until = max(row.paused_until, until)
            row.next_slot = max(row.next_slot, until)


class Pacer:
    """Hands out send permissions at most L per any 1-second window (see the module docstring)."""

    def __init__(self, rate: float, store: SlotStore, clock: PaceClock | None = None) -> None:
        self.rate = rate
        self.interval = 1.0 / (rate * SAFETY)
        self.store = store
        self.clock = clock or process_clock()
        self.reserve_count = max(1, math.floor(rate * 0.1))  # ≈0.1 s of slots per reservation
        self._slots: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self.wasted = 0

    async def _next_slot(self) -> float:
        async with self._lock:
            if not self._slots:
                start, paused_until = await self.store.reserve(
                    self.reserve_count, self.clock.timestamp(), self.interval
                )
                self._paused_until = max(self._paused_until, paused_until)
                self._slots.extend(start + i * self.interval for i in range(self.reserve_count))
            return self._slots.popleft()

    async def prefill(self, session: AsyncSession) -> None:
        """Reserve the next slots inside the caller's transaction when none are left that can still
        be used: the sender does this in the transaction that claimed work after an idle spell,
        saving a transaction between a commit and its message. Slots come from the same shared
        sequence, so the window bound is unchanged."""
        reserve_in = getattr(self.store, "reserve_in", None)
        if reserve_in is None or self._lock.locked():
            # A consumer is reserving right now, in a transaction of its own: waiting for it here,
            # inside the caller's transaction, could wait for the lock the caller holds (SQLite).
            return
        async with self._lock:  # free: taken without yielding
            now = self.clock.timestamp()
            while self._slots and now - self._slots[0] > LATE_TOLERANCE:
                self._slots.popleft()  # already too late to use
                self.wasted += 1
            if self._slots:
                return
            start, paused_until = await reserve_in(session, self.reserve_count, now, self.interval)
            self._paused_until = max(self._paused_until, paused_until)
            self._slots.extend(start + i * self.interval for i in range(self.reserve_count))

    async def acquire(self, should_stop: Callable[[], bool] = lambda: False) -> float | None:
        """Wait for a slot and return the time to send at; None when asked to stop meanwhile."""
        while not should_stop():
            slot = await self._next_slot()
            if slot < self._paused_until:
                self.wasted += 1
                continue
            while (wait := slot - self.clock.timestamp()) > 0:
                if should_stop():
                    return None
                await self.clock.sleep(min(wait, 0.25))
            now = self.clock.timestamp()
            if now - slot <= LATE_TOLERANCE and slot >= self._paused_until:
                return now
            self.wasted += 1  # reached too late (or a 429 pause began): never use a slot late
        return None

    async def pause(self, seconds: float) -> None:
        """A 429: nobody (in any process) gets a slot before ``now + seconds``."""
        until = self.clock.timestamp() + seconds
        self._paused_until = max(self._paused_until, until)
        async with self._lock:
            self._slots.clear()
        await self.store.pause(until)


# ---------------------------------------------------------------- claiming and recording
async def release_stale_claims(session: AsyncSession, now: datetime, lease_seconds: float) -> int:
    """Give back claims of senders that died: same host and process gone, or lease expired."""
    return await release_stale(
        session, Delivery, DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, now, lease_seconds
    )


_OTHER_DELIVERY = aliased(Delivery)  # made once: building an alias costs more than the query


async def claim_batch(session: AsyncSession, worker_id: str, now: datetime, limit: int) -> list[Outgoing]:
    """Claim up to ``limit`` runnable deliveries of running broadcasts for this worker.

    ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) lets concurrent senders claim disjoint rows without
    waiting; on SQLite the transaction already holds the write lock (BEGIN IMMEDIATE). A chat with a
    delivery or an outbox message in flight, or sent one in the last second, is skipped (one message
    per chat per second, across processes and across both sources).
    """
    running = (
        await session.execute(
            select(Broadcast.id, Broadcast.text, Broadcast.photo_file_id)
            .where(Broadcast.status == BroadcastStatus.RUNNING)
            .order_by(Broadcast.id)
        )
    ).all()
    other = _OTHER_DELIVERY
    recently = now - timedelta(seconds=PER_CHAT_SECONDS)
    busy_chat = exists().where(
        other.chat_id == Delivery.chat_id,
        other.id != Delivery.id,
        or_(other.status == DeliveryStatus.CLAIMED, other.sent_at > recently),
    )
    busy_with_owed = exists().where(
        OutboxMessage.chat_id == Delivery.chat_id,
        or_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.sent_at > recently),
    )
    claimed: list[Outgoing] = []
    for broadcast_id, text, photo in running:
        if len(claimed) >= limit:
            break
        rows = (
            await session.execute(
                select(Delivery.id, Delivery.chat_id, Delivery.user_id)
                .where(
                    Delivery.broadcast_id == broadcast_id,
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.next_attempt_at <= now,
                    ~busy_chat,
                    ~busy_with_owed,
                )
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit - len(claimed))
                .with_for_update(skip_locked=True, of=Delivery)
            )
        ).all()
        if not rows:
            continue
        unreachable = set(
            await session.scalars(
                select(User.id).where(
                    User.id.in_({r.user_id for r in rows}), User.unreachable_since.is_not(None)
                )
            )
        )
        seen_chats: set[int] = set()
        take, skip = [], []
        for row in rows:
            if row.user_id in unreachable:
                skip.append(row.id)
            elif row.chat_id in seen_chats:
                continue  # a second row for the same chat waits for the next batch
            else:
                seen_chats.add(row.chat_id)
                take.append(row)
        if skip:  # blocked us earlier (another notice found out): skip them from then on
            await session.execute(
                update(Delivery).where(Delivery.id.in_(skip)).values(status=DeliveryStatus.UNREACHABLE)
            )
        if take:
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_([r.id for r in take]))
                .values(status=DeliveryStatus.CLAIMED, claimed_by=worker_id, claimed_at=now)
            )
        claimed += [Outgoing(r.id, broadcast_id, r.chat_id, text, photo) for r in take]
    return claimed


class BroadcastSource:
    """Broadcast deliveries as a source of the one sender: after every outbox row, at the same pace."""

    name = "broadcasts"

    def __init__(self, send: Send, *, max_attempts: int = 5, backoff_seconds: float = 2.0) -> None:
        self.send = send
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds

    def attach(self, sender: Sender) -> None:
        return None

    def detach(self, sender: Sender) -> None:
        return None

    async def release_stale(self, session: AsyncSession, now: datetime, lease_seconds: float) -> int:
        return await release_stale_claims(session, now, lease_seconds)

    async def claim(
        self, session: AsyncSession, worker_id: str, now: datetime, limit: int
    ) -> list[tuple[int, Any]]:
        batch = await claim_batch(session, worker_id, now, limit)
        if not batch:
            await service.complete_occurrences(session, now)
        return [(BROADCAST_PRIORITY, item) for item in batch]

    async def give_back(self, session: AsyncSession, worker_id: str, items: list[Any]) -> None:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_([o.delivery_id for o in items]), Delivery.claimed_by == worker_id)
            .values(status=DeliveryStatus.PENDING, claimed_by=None, claimed_at=None)
        )

    async def has_open_work(self, session: AsyncSession, now: datetime) -> bool:
        # The last sends may have been recorded after the last claim's completion check: complete
        # their notices before leaving, or they would stay "running".
        await service.complete_occurrences(session, now)
        return bool(await service.pending_count(session, running_only=True))

    async def perform(self, item: Outgoing, slot: float, sender: Sender) -> None:
        stats, clock = sender.stats, sender.clock
        values: dict[str, object]
        try:
            stats.send_times.append(slot)
            message_id = await self.send(item)
        except RetryLater as error:
            stats.rate_limited += 1
            await sender.pacer.pause(error.retry_after)
            values = {
                "status": DeliveryStatus.PENDING,
                "next_attempt_at": clock.now() + timedelta(seconds=error.retry_after),
            }
        except Unreachable:
            stats.unreachable += 1
            async with transaction(sender.sessions) as session:
                await self._record(session, item, status=DeliveryStatus.UNREACHABLE, error="403")
                user_id = await session.scalar(
                    select(Delivery.user_id).where(Delivery.id == item.delivery_id)
                )
                if user_id is not None:
                    await mark_unreachable(session, user_id)
            return
        except RejectedSendError as error:
            stats.failed += 1
            values = {"status": DeliveryStatus.FAILED, "error": str(error)[:300]}
        except Exception as error:  # network trouble and anything unexpected: retry with backoff
            values = await self._retry_values(item, error, sender)
        else:
            stats.sent += 1
            values = {
                "status": DeliveryStatus.SENT,
                "sent_at": clock.now(),
                "telegram_message_id": message_id,
            }
        async with transaction(sender.sessions) as session:
            await self._record(session, item, **values)

    async def _retry_values(self, item: Outgoing, error: Exception, sender: Sender) -> dict[str, object]:
        if not isinstance(error, TransientSendError):
            log.warning("unexpected error sending delivery %s: %r", item.delivery_id, error)
        async with transaction(sender.sessions) as session:
            attempts = (
                await session.scalar(select(Delivery.attempts).where(Delivery.id == item.delivery_id)) or 0
            ) + 1
        if attempts >= self.max_attempts:
            sender.stats.failed += 1
            return {"status": DeliveryStatus.FAILED, "attempts": attempts, "error": repr(error)[:300]}
        sender.stats.retried += 1
        backoff = min(300.0, self.backoff_seconds * 2 ** (attempts - 1))
        return {
            "status": DeliveryStatus.PENDING,
            "attempts": attempts,
            "next_attempt_at": sender.clock.now() + timedelta(seconds=backoff),
            "error": repr(error)[:300],
        }

    @staticmethod
    async def _record(session: AsyncSession, item: Outgoing, **values: object) -> None:
        await session.execute(
            update(Delivery)
            .where(Delivery.id == item.delivery_id)
            .values(claimed_by=None, claimed_at=None, **values)
        )


class BroadcastSender(Sender):
    """A sender of broadcast deliveries only (the worker processes of the tests and the benchmark).

    The bot itself runs one sender for the outbox and broadcasts together (``bot.outbox.telegram``).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Send,
        *,
        rate: float,
        clock: SystemClock | None = None,
        store: SlotStore | None = None,
        worker_id: str | None = None,
        max_attempts: int = 5,
        backoff_seconds: float = 2.0,
        lease_seconds: float = 120.0,
        poll_seconds: float = 1.0,
        concurrency: int | None = None,
    ) -> None:
        clock = clock or process_clock()
        super().__init__(
            sessions,
            [BroadcastSource(send, max_attempts=max_attempts, backoff_seconds=backoff_seconds)],
            pacer=Pacer(rate, store or DatabaseSlotStore(sessions, clock), clock),
            clock=clock,
            worker_id=worker_id,
            lease_seconds=lease_seconds,
            poll_seconds=poll_seconds,
            concurrency=concurrency,
        )
