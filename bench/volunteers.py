"""Volunteer benchmarks: concurrent sign-ups per second (SQLite and PostgreSQL), /shifts with 1,000 shifts.

Baselines, measured in the same run on the same database:
- sign-ups: as many concurrent one-row transactions (an audit entry each) — the cost of a bare write
  transaction, so the ratio shows what locking, counting and scheduling reminders add;
- /shifts: /help through the same Application — the fixed cost of one update in and one message out.

PostgreSQL runs when ``--database-url`` (or TEST_DATABASE_URL) names a server: a fresh database
``cw_bench_<random>`` is created there, migrated, and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from typing import Any

from bench.run import result
from bot.config import Settings
from bot.database import make_engine, make_sessionmaker, transaction
from bot.services import audit
from bot.services import volunteers as vol
from bot.timeutil import utcnow
from tests.support.databases import bench_database, postgres_server


async def _signups(url: str, volunteers: int, capacity: int) -> tuple[float, float, int]:
    """(sign-ups per second, baseline transactions per second, confirmed count)."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as session:
            for uid in range(1, volunteers + 1):
                await vol.register(
                    session, uid, real_name="测试志愿者", phone="13800138000", district="江岸区"
                )
            start = utcnow() + timedelta(days=2)
            draft = vol.ShiftDraft("文明交通劝导", "路口", start, start + timedelta(hours=2), capacity)
            shift_id = (await vol.create_shifts(session, 1, draft))[0].id

        # At most 25 transactions in flight (below the pool size): a flood of 1,000 would otherwise
        # measure the connection pool's queue and time out, not the booking.
        gate = asyncio.Semaphore(25)

        async def bare(uid: int) -> None:
            async with gate, transaction(sessions) as session:
                await audit.record(session, uid, "bench.baseline")

        async def sign_up(uid: int) -> bool:
            async with gate, transaction(sessions) as session:
                return not (await vol.book(session, uid, shift_id)).waitlisted

        began = time.perf_counter()
        await asyncio.gather(*(bare(uid) for uid in range(1, volunteers + 1)))
        baseline = volunteers / (time.perf_counter() - began)
        began = time.perf_counter()
        outcomes = await asyncio.gather(*(sign_up(uid) for uid in range(1, volunteers + 1)))
        rate = volunteers / (time.perf_counter() - began)
        return rate, baseline, sum(outcomes)
    finally:
        await engine.dispose()


def bench_signups(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    volunteers = 200 if quick else 1000
    capacity = volunteers // 4
    rows = []
    kinds = [("sqlite", None)]
    if (pg := postgres_server(database_url)) is not None:
        kinds.append(("postgresql", pg))
    for kind, server in kinds:
        with bench_database(server) as url:
            rate, baseline, confirmed = asyncio.run(_signups(url, volunteers, capacity))
        rows.append(
            result(
                f"volunteers.signups_per_second.{kind}",
                rate,
                "sign-ups/s",
                baseline,
                volunteers=volunteers,
                in_flight=25,
                capacity=capacity,
                confirmed=confirmed,
                baseline_is="bare one-row write transactions/s, same concurrency",
            )
        )
    return rows


async def _render(url: str, shifts: int, repeats: int) -> tuple[float, float, float]:
    """(seconds for /shifts first page, for a last-page button, baseline /help)."""
    from bot.harness import ChatHarness

    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN="123456:BENCH",
        SCHEDULER_INTERVAL_SECONDS=3600,
        FLOOD_MAX_MESSAGES=1_000_000,  # one user sends every request: flood control must not drop them
        _env_file=None,
    )
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with transaction(sessions) as session:
        await vol.register(session, 1, real_name="测试志愿者", phone="13800138000", district="江岸区")
        names = vol.load_districts(settings.data_dir).names
        base = utcnow() + timedelta(hours=2)
        for i in range(shifts):
            start = base + timedelta(hours=3 * i)
            draft = vol.ShiftDraft(
                "文明交通劝导",
                f"路口 {i}",
                start,
                start + timedelta(hours=2),
                10,
                district=names[i % len(names)],
            )
            await vol.create_shifts(session, 99, draft)
    await engine.dispose()
    async with ChatHarness(settings) as chat:
        await chat.send(1, "/help")  # warm up

        async def timed(action: Any) -> float:
            began = time.perf_counter()
            for _ in range(repeats):
                if not await action():  # an update that produced nothing was dropped, not measured
                    raise RuntimeError("the bot sent nothing back")
            return (time.perf_counter() - began) / repeats

        first = await timed(lambda: chat.send(1, "/shifts"))
        message = chat.latest_with_buttons(1)
        last_page = (shifts - 1) // 5
        pages = itertools.cycle([last_page, last_page - 1])  # alternate: an unchanged page is not re-sent
        last = await timed(lambda: chat.press_data(1, f"vol:list:-:all:{next(pages)}", message))
        baseline = await timed(lambda: chat.send(1, "/help"))
    return first, last, baseline


def bench_shifts_render(quick: bool = False) -> list[dict[str, Any]]:
    shifts = 1000
    repeats = 5 if quick else 30
    with bench_database(None) as url:
        first, last, baseline = asyncio.run(_render(url, shifts, repeats))
    common = {"shifts": shifts, "repeats": repeats, "baseline_is": "/help through the same Application"}
    return [
        result(
            "volunteers.shifts_render.first_page",
            first * 1000,
            "ms",
            baseline * 1000,
            higher_is_better=False,
            **common,
        ),
        result(
            "volunteers.shifts_render.last_pages",
            last * 1000,
            "ms",
            baseline * 1000,
            higher_is_better=False,
            **common,
        ),
    ]
