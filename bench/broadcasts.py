"""Broadcast delivery against the fake Bot API over HTTP: pace, losses, duplicates, and a kill -9.

Sender processes are real (``tests.support.broadcast_worker``); the Bot API is ``BotApiEmulator``
served by aiohttp in this process, enforcing Telegram-like limits (L per second globally, one per
second per chat) and answering 429 itself whenever a window is exceeded. Injected: a few 429s with
retry_after=1 and ~2 % blocked chats (403). Measured on the server's receive times.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import random
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.run import result
from bot.botapi_emulator import BotApiEmulator, BotApiError, RateLimits
from bot.database import make_engine, make_sessionmaker, transaction

NAME = "broadcasts"


def max_in_any_window(times: list[float], width: float = 1.0) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)), default=0)


@contextmanager
def _database(database_url: str | None) -> Iterator[str]:
    """``--database-url`` when it names a server, else SQLite (TEST_DATABASE_URL is not consulted)."""
    from tests.support.databases import bench_database

    server = database_url if database_url and not database_url.startswith("sqlite") else None
    with bench_database(server) as url:
        yield url


async def _prepare(url: str, recipients: int) -> int:
    from tests.support.broadcast_fixtures import add_users, notice_now

    engine = make_engine(url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            await add_users(session, range(10_000_000, 10_000_000 + recipients))
            return await notice_now(session)
    finally:
        await engine.dispose()


async def _spawn(url: str, api: str, rate: float) -> asyncio.subprocess.Process:
    from bot.config import PROJECT_ROOT

    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.broadcast_worker",
        url,
        api,
        "--rate",
        str(rate),
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _deliver(url: str, recipients: int, rate: float, *, crash: bool, seed: int) -> dict[str, Any]:
    from tests.support.fake_bot_api_broadcast import serve

    rng = random.Random(seed)
    emulator = BotApiEmulator(
        token="123456:TEST", rate_limits=RateLimits(global_per_second=int(rate), per_chat_per_second=1)
    )
    ids = list(range(10_000_000, 10_000_000 + recipients))
    blocked = set(rng.sample(ids, recipients // 50))
    emulator.blocked_chats.update(blocked)
    inject_at = set(rng.sample(range(100, recipients), 3))
    injected: list[float] = []
    calls = Counter[str]()

    async def before_send(method: str, params: dict[str, Any]) -> None:
        calls["send"] += 1
        if calls["send"] in inject_at:
            injected.append(1.0)
            raise BotApiError(429, "Too Many Requests: retry after 1", retry_after=1)

    await _prepare(url, recipients)
    killed_at = None
    async with serve(emulator, before_send=before_send) as api:
        loop = asyncio.get_running_loop()
        started = loop.time()
        process = await _spawn(url, api, rate)
        if crash:
            await asyncio.sleep(rng.uniform(2.0, 2.0 + 0.6 * recipients / rate))
            killed_at = len(emulator.messages)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            process = await _spawn(url, api, rate)
        out, _ = await process.communicate()
        elapsed = loop.time() - started
    lines = out.decode().strip().splitlines()
    worker = json.loads(lines[-1]) if lines else {}
    received = Counter(m.chat_id for m in emulator.messages)
    expected = set(ids) - blocked
    times = sorted(m.sent_at for m in emulator.messages)
    accepted = len(times)
    forbidden = sum(
        1 for method, p in emulator.calls if method == "sendMessage" and int(p["chat_id"]) in blocked
    )
    span = (times[-1] - times[0]) if len(times) > 1 else elapsed
    return {
        "lost": len(expected - set(received)),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "accepted": accepted,
        "forbidden": forbidden,
        "span": span,
        "paused": sum(injected),
        "max_window": max_in_any_window(times),
        "server_429": sum(1 for method, _ in emulator.calls if method == "sendMessage")
        - accepted
        - forbidden,
        "killed_after": killed_at,
        "wasted_slots": worker.get("wasted_slots"),
        "worker_429": worker.get("rate_limited"),
    }


def run(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    rate = 50.0
    recipients = 1_000 if quick else 10_000
    rows = []
    with _database(database_url) as url:
        outcome = asyncio.run(_deliver(url, recipients, rate, crash=False, seed=1))
    # Every accepted send and every 403 took one of Telegram's slots.
    achieved = (outcome["accepted"] + outcome["forbidden"]) / outcome["span"]
    active = (outcome["accepted"] + outcome["forbidden"]) / max(1e-9, outcome["span"] - outcome["paused"])
    db = "postgresql" if database_url else "sqlite"
    common = {"recipients": recipients, "limit": rate, "database": db}
    rows.append(
        result(
            f"{NAME}.rate_over_limit",
            active,
            "msg/s",
            baseline=rate,
            including_injected_429_pauses=round(achieved / rate, 3),
            **common,
        )
    )
    rows.append(
        result(
            f"{NAME}.max_1s_window_over_limit",
            outcome["max_window"],
            "msg",
            baseline=rate,
            higher_is_better=False,
            server_429_self_inflicted=outcome["server_429"],
            wasted_slots=outcome["wasted_slots"],
            **common,
        )
    )
    rows.append(result(f"{NAME}.lost", outcome["lost"], "recipients", **common))
    rows.append(result(f"{NAME}.duplicates", outcome["duplicates"], "messages", **common))
    crash_recipients = 500 if quick else 2_000
    with _database(database_url) as url:
        crashed = asyncio.run(_deliver(url, crash_recipients, rate, crash=True, seed=2))
    crash_common = {
        "recipients": crash_recipients,
        "limit": rate,
        "database": db,
        "killed_after": crashed["killed_after"],
    }
    rows.append(result(f"{NAME}.crash.lost", crashed["lost"], "recipients", **crash_common))
    rows.append(result(f"{NAME}.crash.duplicates", crashed["duplicates"], "messages", **crash_common))
    return rows


async def _materialise(url: str, recipients: int) -> tuple[float, float]:
    """Seconds to create the deliveries: INSERT … SELECT batches vs one row per recipient from Python."""
    import time

    from sqlalchemy import insert, select

    from bot.models import AudienceKind, Broadcast, Delivery, Subscription, Topic
    from bot.services import broadcasts as service
    from bot.timeutil import utcnow
    from tests.support.broadcast_fixtures import add_users

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as session:
            # Nobody subscribed yet, just the row (staff are refused a notice to nobody; the bot is not).
            notice = await service.create_system_notice(
                session,
                source="bench",
                text="<b>创文通知</b>：周六上午开展文明劝导。",
                audience_kind=AudienceKind.TOPIC,
                audience_param=Topic.NOTICES.value,
            )
            broadcast_id = notice.id
        async with transaction(sessions) as session:
            await add_users(session, range(20_000_000, 20_000_000 + recipients))
        async with transaction(sessions) as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            assert broadcast is not None
            started = time.perf_counter()
            created = await service.materialise(session, broadcast, 1)
            ours = time.perf_counter() - started
        assert created == recipients
        async with transaction(sessions) as session:
            started = time.perf_counter()
            user_ids = list(
                await session.scalars(select(Subscription.user_id).where(Subscription.topic == Topic.NOTICES))
            )
            now = utcnow()
            for user_id in user_ids:  # the naive way: a row per recipient built in Python
                await session.execute(
                    insert(Delivery).values(
                        broadcast_id=broadcast_id,
                        occurrence=2,
                        user_id=user_id,
                        chat_id=user_id,
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
            naive = time.perf_counter() - started
        return ours, naive
    finally:
        await engine.dispose()


def run_materialise(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    recipients = 5_000 if quick else 50_000
    with _database(database_url) as url:
        ours, naive = asyncio.run(_materialise(url, recipients))
    db = "postgresql" if database_url else "sqlite"
    return [
        result(
            f"{NAME}.materialise",
            recipients / ours,
            "rows/s",
            baseline=recipients / naive,
            recipients=recipients,
            database=db,
            baseline_is="one INSERT per recipient from Python",
        )
    ]
