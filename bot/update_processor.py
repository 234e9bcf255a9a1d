"""Updates of different users run concurrently; updates of one user run strictly in order.

PTB's default is fully sequential (one slow database call stalls every resident), and plain
``concurrent_updates`` would let two messages of one user race through a conversation. Keying a
lock by user keeps each person's conversation ordered while the city is served in parallel.

Fairness: an update first waits for its user's turn and only then for one of the concurrency
slots, so a slot is only ever held by an update that can run. PTB's own semaphore is taken *before*
``do_process_update`` (that is, before the user's lock): one resident's burst of 20 messages would
hold all 8 slots while 19 of them wait on each other, and every other resident would queue behind
it. PTB's semaphore is therefore left without a practical limit and the real one is taken here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot import observability

# PTB's semaphore must never be the one that limits (see the module docstring).
_PTB_SLOTS = 1_000_000


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 8) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        # PTB's __init__ sizes its semaphore by reading the max_concurrent_updates property
        self._limit = _PTB_SLOTS
        super().__init__(_PTB_SLOTS)
        self._limit = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._running = 0

    @property
    def max_concurrent_updates(self) -> int:
        return self._limit

    @property
    def current_concurrent_updates(self) -> int:
        return self._running

    @property
    def queued_updates(self) -> int:
        """Updates received but not yet running (waiting for their user's turn or for a slot)."""
        return sum(self._waiting.values()) - self._running

    @staticmethod
    def _key(update: object) -> int:
        if isinstance(update, Update):
            if update.effective_user is not None:
                return update.effective_user.id
            if update.effective_chat is not None:
                return update.effective_chat.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                self._running += 1
                outcome = observability.UpdateOutcome(observability.update_kind(update))
                started = time.perf_counter()
                try:
                    with observability.observe_update(outcome):
                        await coroutine
                finally:
                    self._running -= 1
                    observability.record_update(outcome, time.perf_counter() - started)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this user: let the lock go
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
