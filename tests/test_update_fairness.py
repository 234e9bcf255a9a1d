"""One resident's burst never holds the concurrency slots that other residents need.

The order of events is asserted, never a duration: the timing itself is a benchmark
(``availability.burst_neighbour``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.app import build_application
from bot.botapi_emulator import BotApiEmulator
from bot.config import Settings
from bot.update_processor import PerUserUpdateProcessor
from handlers.common import texts
from tests.support.fake_bot_api import serve_fake_bot_api

TOKEN = "515151:FAIRNESS"


def _update(user_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "居民"},
                "text": "hi",
            },
        },
        None,
    )


async def test_updates_of_one_user_wait_for_each_other_without_holding_a_slot() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=2)
    started: list[str] = []
    release = {name: asyncio.Event() for name in ("a1", "a2", "a3", "b1", "c1")}

    async def work(name: str) -> None:
        started.append(name)
        await release[name].wait()

    burst = [
        asyncio.create_task(processor.process_update(_update(1), work(name))) for name in ("a1", "a2", "a3")
    ]
    neighbour = asyncio.create_task(processor.process_update(_update(2), work("b1")))
    await asyncio.sleep(0.01)
    # a2 and a3 wait for a1 without a slot: b1 took the second slot.
    assert started == ["a1", "b1"]
    assert processor.current_concurrent_updates == 2
    assert processor.queued_updates == 2

    third = asyncio.create_task(processor.process_update(_update(3), work("c1")))
    await asyncio.sleep(0.01)
    assert started == ["a1", "b1"]  # both slots are busy: c1 waits for one
    release["b1"].set()
    await asyncio.sleep(0.01)
    assert started == ["a1", "b1", "c1"]  # b1's slot went to another user, not to the queued a2
    for name in ("a1", "a2", "a3", "c1"):
        release[name].set()
        await asyncio.sleep(0.01)
    await asyncio.gather(*burst, neighbour, third)
    assert started == ["a1", "b1", "c1", "a2", "a3"]  # one user's updates stay in order
    assert processor.current_concurrent_updates == 0 and processor.queued_updates == 0


async def test_neighbour_is_answered_during_a_burst_over_a_slow_bot_api(
    settings: Settings, engine: AsyncEngine
) -> None:
    """20 messages from one resident, then /cancel from another, with 150 ms per Bot API call."""
    emulator = BotApiEmulator(token=TOKEN)
    burst_user, neighbour = 610001, 610002
    async with serve_fake_bot_api(emulator, latency=0.15) as base_url:
        local: Any = settings.model_copy(
            update={
                "telegram_api_base_url": base_url,
                "telegram_bot_token": TOKEN,
                "max_concurrent_updates": 8,
            }
        )
        application = build_application(local, engine=engine)
        await application.initialize()
        await application.start()
        try:
            for n in range(1, 21):  # within the flood limit (20 per 10 s)
                update = emulator.message_update(burst_user, text=f"/burst{n}")
                update["update_id"] = emulator.next_update_id()
                await application.update_queue.put(Update.de_json(update, application.bot))
            update = emulator.message_update(neighbour, text="/cancel")
            update["update_id"] = emulator.next_update_id()
            await application.update_queue.put(Update.de_json(update, application.bot))
            for _ in range(600):
                if len(emulator.sent_to(burst_user)) == 20 and emulator.sent_to(neighbour):
                    break
                await asyncio.sleep(0.05)
        finally:
            await application.stop()
            await application.shutdown()

    order = [m.chat_id for m in emulator.messages if m.chat_id in (burst_user, neighbour)]
    assert order.count(burst_user) == 20 and order.count(neighbour) == 1
    # Before the fix the neighbour got a slot only after 13 of the burst's updates were done.
    assert order.index(neighbour) <= 2
    burst_replies = [m.body for m in emulator.sent_to(burst_user)]
    assert burst_replies == [texts.UNKNOWN_COMMAND.format(command=f"/burst{n}") for n in range(1, 21)]
