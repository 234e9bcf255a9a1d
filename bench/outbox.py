"""The outbox: commit → Bot API call latency, throughput of a queue of owed messages, priority.

1. *Idle latency*: the bot's one sender runs in this process (as inside the bot); one owed message
   is committed every 0.1–0.3 s; latency = the emulator's receive time − the moment before the
   commit. Baseline, same run: the same sender with the commit wake-up removed (polling only).
2. *Queue*: 10,000 owed messages committed at once, sent by a sender process over HTTP to the
   fake Bot API (Telegram-like limits: L per second, one per chat per second); achieved rate / L
   and the largest count in any 1-second window, on the server's receive times.
3. *Priority*: a 10,000-recipient broadcast is running; a new ticket card is committed every
   0.5 s; latency of the cards. Baseline: the idle latency of 1.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.run import result
from bot.botapi_emulator import BotApiEmulator, OfflineRequest, RateLimits
from bot.database import make_engine, make_sessionmaker, transaction

NAME = "outbox"
TOKEN = "123456:TEST"


def max_in_any_window(times: list[float], width: float = 1.0) -> int:
    import bisect

    times = sorted(times)
    return max((bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)), default=0)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@contextmanager
def _database(database_url: str | None) -> Iterator[str]:
    """``--database-url`` when it names a server, else SQLite (TEST_DATABASE_URL is not consulted)."""
    from tests.support.databases import bench_database

    server = database_url if database_url and not database_url.startswith("sqlite") else None
    with bench_database(server) as url:
        yield url


def _settings(url: str, rate: float) -> Any:
    from bot.config import Settings

    return Settings(  # type: ignore[call-arg]
        DATABASE_URL=url, TELEGRAM_BOT_TOKEN=TOKEN, BROADCAST_RATE_PER_SECOND=rate, _env_file=None
    )


async def _in_process(
    url: str, *, rate: float, samples: int, gap: tuple[float, float], wake: bool, recipients: int = 0
) -> list[float]:
    """Latencies (s) of owed messages committed one by one while the bot's sender runs here."""
    from telegram import Bot

    from bot.clock import process_clock
    from bot.outbox import notify
    from bot.outbox.telegram import build_sender
    from handlers.broadcasts import telegram_send
    from tests.support.broadcast_fixtures import add_users, notice_now

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    emulator = BotApiEmulator(token=TOKEN, rate_limits=RateLimits(global_per_second=int(rate)))
    bot = Bot(TOKEN, request=OfflineRequest(emulator))
    committed: dict[int, float] = {}
    rng = random.Random(14)
    try:
        async with bot:
            if recipients:
                async with transaction(sessions) as session:
                    await add_users(session, range(30_000_000, 30_000_000 + recipients))
                    await notice_now(session)
            sender = build_sender(
                sessions, _settings(url, rate), bot, telegram_send(bot), clock=process_clock()
            )
            stop = asyncio.Event()
            task = asyncio.create_task(sender.run(stop.is_set))
            await asyncio.sleep(0.5 if not recipients else 3.0)  # started (and, with a broadcast, busy)
            if not wake:
                sender.sources[0].detach(sender)  # no wake-up on commit: polling only
            for n in range(samples):
                chat = -1_000_000_000 - n  # a new group each time: no per-chat wait in the way
                async with transaction(sessions) as session:
                    await notify.card(session, chat, f"ticket:{n}", f"工单 #{n} 待受理", kind="ticket.card")
                    committed[chat] = time.monotonic()  # just before the commit
                await asyncio.sleep(rng.uniform(*gap))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(_arrivals(emulator, committed)) < samples:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            stop.set()
            await task
    finally:
        await engine.dispose()
    arrivals = _arrivals(emulator, committed)
    if len(arrivals) < samples:
        raise RuntimeError(f"only {len(arrivals)} of {samples} owed messages arrived")
    return [arrivals[chat] - committed[chat] for chat in committed]


def _arrivals(emulator: BotApiEmulator, committed: dict[int, float]) -> dict[int, float]:
    return {m.chat_id: m.sent_at for m in emulator.messages if m.chat_id in committed}


async def _queue(url: str, count: int, rate: float, *, broadcast: bool = False) -> dict[str, Any]:
    """``count`` owed messages committed at once (or, for the baseline, a broadcast to ``count``
    people), sent by a sender process over HTTP."""
    from bot.config import PROJECT_ROOT
    from bot.outbox import notify
    from tests.support.broadcast_fixtures import add_users, notice_now
    from tests.support.fake_bot_api_broadcast import serve

    engine = make_engine(url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            if broadcast:
                await add_users(session, range(40_000_000, 40_000_000 + count))
                await notice_now(session)
            for n in range(0 if broadcast else count):
                await notify.person(
                    session, 40_000_000 + n, f"你的投诉 #{n} 有新进展", kind="ticket.reporter"
                )
    finally:
        await engine.dispose()
    emulator = BotApiEmulator(
        token=TOKEN, rate_limits=RateLimits(global_per_second=int(rate), per_chat_per_second=1)
    )
    async with serve(emulator) as api:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.outbox_worker",
            url,
            api,
            "--rate",
            str(rate),
            cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        out, _ = await process.communicate()
    lines = out.decode().strip().splitlines()
    worker = json.loads(lines[-1]) if lines else {}
    times = sorted(m.sent_at for m in emulator.messages)
    received = {m.chat_id for m in emulator.messages}
    return {
        "accepted": len(times),
        "span": times[-1] - times[0] if len(times) > 1 else 0.0,
        "max_window": max_in_any_window(times),
        "lost": count - len(received),
        "duplicates": len(times) - len(received),
        "server_429": sum(1 for method, _ in emulator.calls if method == "sendMessage") - len(times),
        "wasted_slots": worker.get("wasted_slots"),
    }


def run(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    rate = 50.0
    db = "postgresql" if database_url else "sqlite"
    rows: list[dict[str, Any]] = []

    samples = 60 if quick else 200
    with _database(database_url) as url:
        woken = asyncio.run(_in_process(url, rate=rate, samples=samples, gap=(0.1, 0.3), wake=True))
    with _database(database_url) as url:
        polled = asyncio.run(_in_process(url, rate=rate, samples=samples // 4, gap=(0.1, 0.3), wake=False))
    common = {"database": db, "samples": samples}
    for p in (50, 99):
        rows.append(
            result(
                f"{NAME}.idle_latency_p{p}",
                percentile(woken, p) * 1000,
                "ms",
                baseline=percentile(polled, p) * 1000,
                higher_is_better=False,
                goal_ms=50 if p == 50 else 250,
                baseline_is="the same sender polling only (no wake-up on commit)",
                **common,
            )
        )

    count = 1_000 if quick else 10_000
    with _database(database_url) as url:
        queue = asyncio.run(_queue(url, count, rate))
    with _database(database_url) as url:
        deliveries = asyncio.run(_queue(url, count, rate, broadcast=True))
    achieved = queue["accepted"] / queue["span"] if queue["span"] else 0.0
    broadcast_rate = deliveries["accepted"] / deliveries["span"] if deliveries["span"] else 0.0
    common = {"database": db, "messages": count, "limit": rate}
    rows.append(
        result(
            f"{NAME}.queue_rate_over_limit",
            achieved / rate,
            "ratio",
            goal=0.95,
            achieved_msg_per_s=round(achieved, 2),
            broadcast_same_run_over_limit=round(broadcast_rate / rate, 3),
            **common,
        )
    )
    rows.append(
        result(
            f"{NAME}.queue_rate_vs_broadcast",
            achieved,
            "msg/s",
            baseline=broadcast_rate,
            baseline_is="the same sender process delivering a broadcast to as many people",
            **common,
        )
    )
    rows.append(
        result(
            f"{NAME}.queue_max_1s_window",
            queue["max_window"],
            "msg",
            baseline=rate,
            higher_is_better=False,
            server_429=queue["server_429"],
            wasted_slots=queue["wasted_slots"],
            **common,
        )
    )
    rows.append(result(f"{NAME}.queue_lost", queue["lost"], "messages", **common))
    rows.append(result(f"{NAME}.queue_duplicates", queue["duplicates"], "messages", **common))

    recipients = 2_000 if quick else 10_000
    cards = 20 if quick else 40
    with _database(database_url) as url:
        busy = asyncio.run(
            _in_process(url, rate=rate, samples=cards, gap=(0.4, 0.6), wake=True, recipients=recipients)
        )
    common = {"database": db, "broadcast_recipients": recipients, "cards": cards, "limit": rate}
    rows.append(
        result(
            f"{NAME}.card_latency_during_broadcast_p99",
            percentile(busy, 99) * 1000,
            "ms",
            baseline=percentile(woken, 99) * 1000,
            higher_is_better=False,
            goal_ms=2000,
            p50_ms=round(statistics.median(busy) * 1000, 1),
            baseline_is="idle p99 latency (no broadcast)",
            **common,
        )
    )
    return rows
