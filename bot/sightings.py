"""Users seen by /start, written behind in one batch a second.

/start is the busiest update and needs nothing from the database to answer, so the user's row
(display name, username, last seen, reachable again) is stored by a repeating job rather than in the
update. A ``kill -9`` loses at most the last second of sightings. /forget drops the person's pending
sighting under the same lock the flush holds, so nothing buffered can re-create them afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.database import transaction
from bot.services.users import Sighting, touch_users

FLUSH_INTERVAL_SECONDS = 1.0


class SightingBuffer:
    def __init__(self) -> None:
        self._pending: dict[int, Sighting] = {}
        self._lock = asyncio.Lock()

    def saw(self, sighting: Sighting) -> None:
        self._pending[sighting.user_id] = sighting

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self, sessions: async_sessionmaker[AsyncSession]) -> int:
        """Store the pending sightings in one upsert; returns how many users were written."""
        if not self._pending:
            return 0
        async with self._lock:
            batch, self._pending = self._pending, {}
            if not batch:
                return 0
            try:
                async with transaction(sessions) as session:
                    return await touch_users(session, batch.values())
            except BaseException:
                # Keep what failed to store (newer sightings of the same user win).
                self._pending = {**batch, **self._pending}
                raise

    @asynccontextmanager
    async def forgetting(self, user_id: int) -> AsyncIterator[None]:
        """Hold off flushes while a user is being erased, and drop their pending sighting."""
        async with self._lock:
            self._pending.pop(user_id, None)
            yield
