"""PTB's persistence writes: every change of one round goes to the database in one transaction."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.persistence import DatabasePersistence


async def test_one_round_of_changes_is_one_write_transaction(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    persistence = DatabasePersistence(sessions)
    begun: list[Any] = []

    def count(connection: Any) -> None:
        begun.append(connection)

    event.listen(engine.sync_engine, "begin", count)
    try:
        await asyncio.gather(
            *(persistence.update_user_data(uid, {"step": uid}) for uid in range(30)),
            *(persistence.update_conversation("complaint", (uid, uid), 1) for uid in range(10)),
        )
        assert len(begun) == 1  # PTB's 40 calls of one round: one transaction

        await asyncio.gather(*(persistence.update_user_data(uid, {"step": uid}) for uid in range(30)))
        assert len(begun) == 1  # nothing changed: nothing written

        await asyncio.gather(
            persistence.update_user_data(1, {"step": 100}),
            persistence.drop_user_data(2),
            persistence.update_conversation("complaint", (3, 3), None),  # conversation ended
            persistence.update_conversation("complaint", (4, 4), 2),
        )
        assert len(begun) == 2
    finally:
        event.remove(engine.sync_engine, "begin", count)

    restarted = DatabasePersistence(sessions)
    user_data = await restarted.get_user_data()
    assert user_data[1] == {"step": 100} and 2 not in user_data and user_data[29] == {"step": 29}
    conversations = await restarted.get_conversations("complaint")
    assert (3, 3) not in conversations and conversations[(4, 4)] == 2 and conversations[(9, 9)] == 1


async def test_a_change_during_a_write_goes_into_the_next_batch(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    persistence = DatabasePersistence(sessions)
    first = asyncio.create_task(persistence.update_user_data(7, {"draft": "第一版"}))
    await asyncio.sleep(0)  # the first batch has started writing
    second = asyncio.create_task(persistence.update_user_data(7, {"draft": "第二版"}))
    await asyncio.gather(first, second)
    assert (await DatabasePersistence(sessions).get_user_data())[7] == {"draft": "第二版"}
