"""PTB persistence in the bot's own database, so a conversation survives a restart.

Conversation states, user_data and chat_data are JSON rows in ``ptb_persistence``. Handlers keep
only JSON-friendly values (str, int, float, bool, lists, dicts) in user_data and chat_data.
PTB writes changes every ``update_interval`` seconds and on shutdown; the interval is short (1 s)
so a crash loses at most the last second of conversation progress.

PTB offers each changed record in its own call, all at once; they are written together (group
commit): one short write transaction per second instead of one per resident and conversation,
which would queue for SQLite's write lock in front of the residents' own updates.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.database import insert_with_conflicts, transaction
from bot.models import PersistenceRecord
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

USER_DATA, CHAT_DATA, CONVERSATION = "user_data", "chat_data", "conversation"
RecordKey = tuple[str, str]  # (kind, key)


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], update_interval: float = 1.0) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.sessions = sessions
        # What the database holds (or will, once the pending batch is written), as JSON, per
        # (kind, key). PTB offers every touched user's data for saving after each update, changed or
        # not; comparing here saves a write per update.
        self._stored: dict[RecordKey, str] = {}
        self._pending: dict[RecordKey, str | None] = {}  # the next batch: JSON, or None to delete
        self._next_batch: asyncio.Task[None] | None = None
        self._writing = asyncio.Lock()

    async def _load(self, kind: str) -> dict[str, Any]:
        async with transaction(self.sessions, read_only=True) as session:
            rows = (
                await session.execute(
                    select(PersistenceRecord.key, PersistenceRecord.data).where(
                        PersistenceRecord.kind == kind
                    )
                )
            ).all()
        self._stored.update({(kind, key): data for key, data in rows})
        return {key: json.loads(data) for key, data in rows}

    async def _store(self, kind: str, key: str, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False, default=str)
        known = self._stored.get((kind, key))
        if known == data or (known is None and value == {}):
            return  # unchanged, or an empty dict that was never stored
        self._stored[(kind, key)] = data
        await self._write_soon((kind, key), data)

    async def _drop(self, kind: str, key: str) -> None:
        self._stored.pop((kind, key), None)
        await self._write_soon((kind, key), None)

    async def _write_soon(self, record: RecordKey, data: str | None) -> None:
        """Join the next batch and return once it is written (its error is every member's error)."""
        self._pending[record] = data
        if self._next_batch is None:
            self._next_batch = asyncio.ensure_future(self._write_batch())
        await asyncio.shield(self._next_batch)

    async def _write_batch(self) -> None:
        await asyncio.sleep(0)  # the rest of this round of PTB's calls joins first
        async with self._writing:  # batches are written in order: a newer value is never overwritten
            self._next_batch = None  # changes from now on form the next batch
            batch, self._pending = self._pending, {}
            try:
                await self._write(batch)
            except BaseException:
                for record in batch:  # unknown now: offer them again next time
                    self._stored.pop(record, None)
                raise

    async def _write(self, batch: dict[RecordKey, str | None]) -> None:
        removed = [record for record, data in batch.items() if data is None]
        now = utcnow()
        rows = [
            {"kind": kind, "key": key, "data": data, "updated_at": now}
            for (kind, key), data in batch.items()
            if data is not None
        ]
        async with transaction(self.sessions) as session:
            if removed:
                await session.execute(
                    delete(PersistenceRecord).where(
                        tuple_(PersistenceRecord.kind, PersistenceRecord.key).in_(removed)
                    )
                )
            if rows:
                insert = insert_with_conflicts(session, PersistenceRecord)
                await session.execute(
                    insert.on_conflict_do_update(
                        index_elements=[PersistenceRecord.kind, PersistenceRecord.key],
                        set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at},
                    ),
                    rows,
                )

    # ---------------------------------------------------------------- user / chat data
    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        return {int(k): v for k, v in (await self._load(USER_DATA)).items()}

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {int(k): v for k, v in (await self._load(CHAT_DATA)).items()}

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        await self._store(USER_DATA, str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        await self._store(CHAT_DATA, str(chat_id), data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._drop(USER_DATA, str(user_id))

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop(CHAT_DATA, str(chat_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        return None

    # ---------------------------------------------------------------- conversations
    async def get_conversations(self, name: str) -> ConversationDict:
        stored = await self._load(f"{CONVERSATION}:{name}")
        return {tuple(json.loads(k)): v for k, v in stored.items()}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        kind, record_key = f"{CONVERSATION}:{name}", json.dumps(list(key))
        if new_state is None:
            await self._drop(kind, record_key)
        else:
            await self._store(kind, record_key, new_state)

    # ---------------------------------------------------------------- not persisted
    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        return None

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def flush(self) -> None:
        return None
