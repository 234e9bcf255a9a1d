"""Real processes and the outbox: kill -9 of the running bot with owed messages pending, then a
restart; two sender processes sharing the outbox and the global rate.

The Bot API is the emulator served over HTTP in this test's process.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.botapi_emulator import BotApiEmulator, RateLimits
from bot.config import PROJECT_ROOT
from bot.database import transaction
from bot.models import OutboxMessage, OutboxStatus
from bot.outbox import notify, service
from tests.support.bot_process import BotProcess
from tests.support.eventually import eventually
from tests.support.fake_bot_api_broadcast import Abort, serve
from tests.test_broadcast_pacer import max_in_any_window

pytestmark = pytest.mark.real_clock  # the bot runs in its own process, on real time

TOKEN = "123456:TEST"


async def statuses(sessions: Any) -> Counter[OutboxStatus]:
    async with sessions() as session:
        return Counter(OutboxStatus(s) for s in await session.scalars(select(OutboxMessage.status)))


async def test_kill_9_of_the_bot_with_owed_messages_pending_then_restart(
    sessions, database_url: str, tmp_path: Path
) -> None:
    """Everyone gets their message after the restart. The only duplicates are messages Telegram
    accepted whose rows the killed process had not yet recorded (the documented window: at most
    one per send in flight), each exactly once more."""
    people = list(range(5000, 5150))
    async with transaction(sessions) as session:
        for person in people:
            await notify.person(session, person, f"你的投诉 #{person} 已受理", kind="ticket.reporter")
    emulator = BotApiEmulator(token=TOKEN)
    bot = BotProcess("", TOKEN, database_url, tmp_path, BROADCAST_RATE_PER_SECOND="50")
    state = {"dead": False}

    async def kill_after_telegram_accepts_the_61st(method: str, params: dict[str, Any]) -> None:
        if state["dead"]:
            raise Abort  # requests the dead process had already sent never reach Telegram
        if len(emulator.messages) == 60:
            await emulator.call(method, params)  # Telegram accepts message 61 …
            assert bot.process is not None
            os.kill(bot.process.pid, signal.SIGKILL)  # … and the bot dies before recording it
            state["dead"] = True
            await asyncio.to_thread(bot.process.wait)
            raise Abort

    async with serve(emulator, before_send=kill_after_telegram_accepts_the_61st) as api:
        bot.env["TELEGRAM_API_BASE_URL"] = api
        bot.start()
        await eventually(lambda: asyncio.sleep(0, result=state["dead"]), timeout=60, what="the kill")
        await bot.stop()
        assert bot.process is not None and bot.process.returncode == -signal.SIGKILL
        async with sessions() as session:
            unrecorded = set(
                await session.scalars(
                    select(OutboxMessage.chat_id).where(OutboxMessage.status == OutboxStatus.CLAIMED)
                )
            )
        accepted = {m.chat_id for m in emulator.messages}
        window = accepted & unrecorded  # Telegram has them, the database does not know yet
        assert len(emulator.messages) == 61 and 1 <= len(window) <= 8  # ≤ the sender's concurrency
        state["dead"] = False
        bot.start()  # same host: the dead process's claims are released at once
        try:

            async def drained() -> bool:
                async with sessions() as session:
                    return not await service.open_count(session)

            await eventually(drained, timeout=60, what="the restarted bot to send the rest")
        finally:
            code = await bot.stop()
        assert code == 0, bot.output()[-3000:]
    received = Counter(m.chat_id for m in emulator.messages)
    assert set(received) == set(people)  # nobody left out
    duplicates = {chat: n - 1 for chat, n in received.items() if n > 1}
    assert duplicates == dict.fromkeys(window, 1)  # exactly the ones in the window, once each
    assert await statuses(sessions) == {OutboxStatus.SENT: 150}


async def spawn(database_url: str, api_url: str, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.outbox_worker",
        database_url,
        api_url,
        *args,
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process) -> dict[str, Any]:
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()[-3000:]
    return json.loads(out.decode().strip().splitlines()[-1])


async def test_two_senders_share_the_outbox_exactly_once_and_the_global_rate(
    sessions, database_url: str
) -> None:
    """PostgreSQL: SKIP LOCKED claims; SQLite: BEGIN IMMEDIATE. One slot sequence in the database."""
    limit = 40
    people = list(range(7000, 7200))
    groups = [-100700 - i for i in range(5)]
    async with transaction(sessions) as session:
        for person in people:
            await notify.person(session, person, f"{person}", kind="test.person")
        for n in range(8):
            for group in groups:
                await notify.group(session, group, f"{group}:{n}", kind="test.group", label="部门")
    emulator = BotApiEmulator(token=TOKEN, rate_limits=RateLimits(per_chat_per_second=1))
    emulator.blocked_chats.update({7001, 7002})
    async with serve(emulator) as api:
        first, second = await asyncio.gather(
            spawn(database_url, api, "--rate", str(limit)), spawn(database_url, api, "--rate", str(limit))
        )
        stats = await asyncio.gather(finish(first), finish(second))
    assert all(s["sent"] > 0 for s in stats)  # both really worked
    received = Counter(m.chat_id for m in emulator.messages)
    expected = Counter({p: 1 for p in people if p not in {7001, 7002}}) + Counter({g: 8 for g in groups})
    assert received == expected  # exactly once each
    for group in groups:  # and each group's messages in commit order
        assert [m.body for m in emulator.messages if m.chat_id == group] == [f"{group}:{n}" for n in range(8)]
    together = [t for s in stats for t in s["send_times"]]
    assert len(together) >= 238 and max_in_any_window(together) <= limit
    assert await statuses(sessions) == {OutboxStatus.SENT: 238, OutboxStatus.UNREACHABLE: 2}
