"""Real processes: kill -9 in the middle of a broadcast and restart; two senders at once.

The Bot API is the emulator served over HTTP in this test's process; the senders are separate
Python processes (``tests.support.broadcast_worker``) on the test database.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from typing import Any

import pytest

from bot.botapi_emulator import BotApiEmulator, RateLimits
from bot.config import PROJECT_ROOT
from bot.database import transaction
from bot.models import DeliveryStatus
from tests.support.broadcast_fixtures import add_users, notice_now, statuses
from tests.support.fake_bot_api_broadcast import Abort, serve
from tests.test_broadcast_pacer import max_in_any_window

pytestmark = pytest.mark.real_clock  # the bot runs in its own process, on real time


async def spawn(database_url: str, api_url: str, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.broadcast_worker",
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


async def test_kill_9_mid_broadcast_then_restart_nobody_twice_nobody_left_out(
    sessions, database_url: str
) -> None:
    async with transaction(sessions) as session:
        ids = await add_users(session, range(5000, 5150))
        broadcast_id = await notice_now(session)
    emulator = BotApiEmulator(token="123456:TEST")
    victim: list[asyncio.subprocess.Process] = []
    killed = asyncio.Event()

    async def kill_at_61st(method: str, params: dict[str, Any]) -> None:
        # Message 61 is in flight: messages 1–60 were answered, and (one at a time) recorded.
        if len(emulator.messages) == 60 and not killed.is_set():
            os.kill(victim[0].pid, signal.SIGKILL)
            killed.set()
            await victim[0].wait()
            raise Abort

    async with serve(emulator, before_send=kill_at_61st) as api:
        victim.append(await spawn(database_url, api, "--rate", "200", "--concurrency", "1"))
        await asyncio.wait_for(victim[0].wait(), timeout=120)
        assert victim[0].returncode == -signal.SIGKILL
        async with sessions() as session:
            halfway = await statuses(session, broadcast_id)
        assert halfway[DeliveryStatus.SENT] == 60
        assert halfway[DeliveryStatus.CLAIMED] >= 1  # the dead process's claims were left behind
        await finish(await spawn(database_url, api, "--rate", "200"))
    received = Counter(m.chat_id for m in emulator.messages)
    assert received == Counter(ids)  # everyone exactly once
    async with sessions() as session:
        assert await statuses(session, broadcast_id) == {DeliveryStatus.SENT: 150}


async def test_two_processes_never_send_the_same_delivery_and_share_the_rate(
    sessions, database_url: str
) -> None:
    """PostgreSQL: SKIP LOCKED claims; SQLite: BEGIN IMMEDIATE. One slot sequence in the database."""
    limit = 40
    async with transaction(sessions) as session:
        ids = await add_users(session, range(7000, 7240))
        await add_users(session, range(7300, 7305), topics=())  # opted out
        broadcast_id = await notice_now(session)
    emulator = BotApiEmulator(token="123456:TEST", rate_limits=RateLimits(per_chat_per_second=1))
    emulator.blocked_chats.update({7001, 7002})
    async with serve(emulator) as api:
        first, second = await asyncio.gather(
            spawn(database_url, api, "--rate", str(limit)), spawn(database_url, api, "--rate", str(limit))
        )
        stats = await asyncio.gather(finish(first), finish(second))
    assert all(s["sent"] > 0 for s in stats)  # both really worked
    received = Counter(m.chat_id for m in emulator.messages)
    assert received == Counter(i for i in ids if i not in {7001, 7002})
    # The two processes' dispatch times together never exceed L in any 1-second window.
    together = [t for s in stats for t in s["send_times"]]
    assert len(together) >= 240
    assert max_in_any_window(together) <= limit
    async with sessions() as session:
        assert await statuses(session, broadcast_id) == {
            DeliveryStatus.SENT: 238,
            DeliveryStatus.UNREACHABLE: 2,
        }
