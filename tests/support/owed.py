"""Waiting for the bot's sender: what a change owes others is delivered shortly after its commit."""

from __future__ import annotations

from bot.botapi_emulator import SentMessage
from bot.harness import ChatHarness
from bot.outbox import service
from tests.support.eventually import eventually


async def settled(harness: ChatHarness, timeout: float = 30) -> list[SentMessage]:
    """Wait until the running bot's sender has nothing left to send (each chat gets one message a
    second, so a test that owes one chat several waits that long); returns what was sent since the
    harness last looked (``harness.new_messages()``), so the next update's answer is its own."""

    async def empty() -> bool:
        async with harness.application.bot_data.sessions() as session:
            return not await service.open_count(session)

    await eventually(empty, timeout=timeout, what="the outbox to drain")
    return harness.new_messages()


async def arrives(harness: ChatHarness, chat: int, text: str, timeout: float = 30) -> None:
    """Wait until a message to ``chat`` containing ``text`` has been sent (or edited to say it)."""

    async def seen() -> bool:
        return any(m.chat_id == chat and text in m.body for m in harness.emulator.messages)

    await eventually(seen, timeout=timeout, what=f"{text!r} in chat {chat}")
