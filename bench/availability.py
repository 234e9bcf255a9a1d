"""Availability under load: the real `chuangwen run` process against the HTTP fake Bot API.

- ``availability.burst_neighbour``: another resident's /cancel round trip while one resident's burst
  of 20 messages is handled, with 150 ms per Bot API call, ÷ the same round trip when the bot is
  idle (goal ≤ 1.5). Medians over several bursts.
- ``availability.sqlite_locked_reads``: p99 of read-only commands (/help, /convention, /shifts,
  /honors) while another process holds SQLite's write lock (goal ≤ 100 ms); baseline: the same
  commands with the lock free. A writer's wait for 「系统繁忙，请稍后再试」 is printed beside it.
- ``availability.certificate_neighbour``: /start p99 while 20 volunteer certificates render
  (goal ≤ 50 ms); baseline: /start p99 with nothing else to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.run import result
from bot.botapi_emulator import BotApiEmulator, SentMessage
from bot.cli import migrate
from bot.database import make_engine, make_sessionmaker, transaction
from bot.services import volunteers as vol
from bot.timeutil import utcnow
from handlers.common import texts
from tests.support.bot_process import start_bench_process
from tests.support.fake_bot_api import serve_fake_bot_api

TOKEN = "4545:AVAILABILITY"
BOT = [sys.executable, "-m", "bot", "run", "--poll-timeout", "1"]
SETTLE_SECONDS = 6.0


class WaitableEmulator(BotApiEmulator):
    """The emulator, waking waiters when the bot sends to their chat (no polling loop competing)."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.waiters: dict[int, list[asyncio.Future[None]]] = {}

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        answer = await super().call(method, params)
        chat_id = params.get("chat_id")
        if chat_id is not None:
            for waiter in self.waiters.pop(int(chat_id), []):
                if not waiter.done():
                    waiter.set_result(None)
        return answer

    async def next_to(
        self,
        chat_id: int,
        after: int,
        matches: Callable[[SentMessage], bool] = lambda _m: True,
        timeout: float = 60,
    ) -> SentMessage:
        """The first message to chat_id at index ≥ after that matches."""
        deadline = time.monotonic() + timeout
        index = after
        while True:
            while index < len(self.messages):
                message = self.messages[index]
                if message.chat_id == chat_id and matches(message):
                    return message
                index += 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer to chat {chat_id}")
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.waiters.setdefault(chat_id, []).append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, remaining)

    async def round_trip(self, user_id: int, text: str) -> float:
        """Seconds from sending text to the bot's first answer in that chat."""
        after = len(self.messages)
        started = time.perf_counter()
        self.push_update(self.message_update(user_id, text=text))
        await self.next_to(user_id, after)
        return time.perf_counter() - started


@dataclass
class RunningBot:
    emulator: WaitableEmulator
    workdir: Path
    database_path: Path


@asynccontextmanager
async def running_bot(latency: float = 0.0, prepare: Any = None) -> AsyncIterator[RunningBot]:
    """The bot process on a fresh SQLite database, answered once (start-up is not measured)."""
    emulator = WaitableEmulator()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        if prepare is not None:
            await migrate(url)
            await prepare(url)
        async with serve_fake_bot_api(emulator, latency=latency) as base_url:
            process = start_bench_process(BOT, base_url, TOKEN, url, Path(tmp))
            try:
                await emulator.round_trip(1, "/start")
                # Start-up work in the background (search index; the classifier from 2 s on) is over.
                await asyncio.sleep(SETTLE_SECONDS)
                yield RunningBot(emulator, Path(tmp), path)
            finally:
                process.terminate()
                await asyncio.to_thread(process.wait, 30)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---------------------------------------------------------------- burst_neighbour
async def _burst_neighbour(rounds: int) -> dict[str, list[float]]:
    neighbour = 77
    idle: list[float] = []
    behind: list[float] = []
    async with running_bot(latency=0.15) as bot:
        emulator = bot.emulator
        for _ in range(rounds):
            idle.append(await emulator.round_trip(neighbour, "/cancel"))
        for r in range(rounds):
            burster = 5000 + r
            after = len(emulator.messages)
            for n in range(20):
                emulator.push_update(emulator.message_update(burster, text=f"随便说点什么 {n}"))
            behind.append(await emulator.round_trip(neighbour, "/cancel"))
            while len([m for m in emulator.messages[after:] if m.chat_id == burster]) < 20:
                await emulator.next_to(burster, len(emulator.messages))
    return {"idle": idle, "behind": behind}


async def burst_neighbour(quick: bool = False) -> list[dict[str, Any]]:
    measured = await _burst_neighbour(2 if quick else 5)
    idle, behind = statistics.median(measured["idle"]), statistics.median(measured["behind"])
    return [
        result(
            "availability.burst_neighbour",
            behind / idle,
            "× idle",
            higher_is_better=False,
            goal="≤ 1.5",
            behind_burst_ms=round(behind * 1000, 1),
            idle_ms=round(idle * 1000, 1),
            worst_behind_burst_ms=round(max(measured["behind"]) * 1000, 1),
            bot_api_latency_ms=150,
        )
    ]


# ---------------------------------------------------------------- sqlite_locked_reads
READ_ONLY_COMMANDS = ("/help", "/convention", "/shifts", "/honors")
LOCK_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
connection.execute("ROLLBACK")
"""


async def _reads(emulator: WaitableEmulator, rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        for n, command in enumerate(READ_ONLY_COMMANDS):
            latencies.append(await emulator.round_trip(200 + n, command))
    return latencies


async def _sqlite_locked_reads(rounds: int) -> dict[str, Any]:
    async with running_bot() as bot:
        emulator = bot.emulator
        await _reads(emulator, 1)  # each command once: lazy imports and caches
        free = await _reads(emulator, rounds)
        holder = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            LOCK_HOLDER,
            str(bot.database_path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            assert holder.stdout is not None
            line = await holder.stdout.readline()
            if line.strip() != b"locked":
                raise RuntimeError("the lock holder did not take the write lock")
            locked = await _reads(emulator, rounds)
            after = len(emulator.messages)
            started = time.perf_counter()
            emulator.push_update(emulator.message_update(300, text="/subscribe"))  # writes the user row
            answer = await emulator.next_to(300, after)
            writer_wait = time.perf_counter() - started
        finally:
            assert holder.stdin is not None
            holder.stdin.close()
            await asyncio.wait_for(holder.wait(), 30)
    return {"free": free, "locked": locked, "writer_wait": writer_wait, "writer_answer": answer.body}


async def sqlite_locked_reads(quick: bool = False) -> list[dict[str, Any]]:
    measured = await _sqlite_locked_reads(5 if quick else 25)
    locked_p99 = _percentile(measured["locked"], 0.99) * 1000
    return [
        result(
            "availability.sqlite_locked_reads",
            locked_p99,
            "ms",
            baseline=_percentile(measured["free"], 0.99) * 1000,
            higher_is_better=False,
            baseline_name="the same commands, write lock free",
            goal="p99 ≤ 100 ms",
            locked_p50_ms=round(_percentile(measured["locked"], 0.5) * 1000, 1),
            commands=list(READ_ONLY_COMMANDS),
            samples=len(measured["locked"]),
            writer_answer=measured["writer_answer"],
            writer_answered_busy=measured["writer_answer"] == texts.DATABASE_BUSY,
            writer_wait_s=round(measured["writer_wait"], 2),
        )
    ]


# ---------------------------------------------------------------- certificate_neighbour
CERTIFICATES = 20


async def _volunteers_with_service(url: str) -> None:
    """CERTIFICATES volunteers (ids 1…N), each with one completed shift: /certificate renders."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as session:
            for uid in range(1, CERTIFICATES + 1):
                name = (
                    "志愿者" + "甲乙丙丁戊己庚辛壬癸"[uid % 10] + "一二"[uid // 10 % 2]
                )  # no digits allowed
                await vol.register(session, uid, real_name=name, phone="13800138000", district="江岸区")
            start = utcnow() + timedelta(minutes=1)
            draft = vol.ShiftDraft(
                "文明交通劝导", "解放路口", start, start + timedelta(hours=2), CERTIFICATES
            )
            shift = (await vol.create_shifts(session, 1, draft))[0]
        for uid in range(1, CERTIFICATES + 1):
            async with transaction(sessions) as session:
                booking = (await vol.book(session, uid, shift.id)).booking
                await vol.check_in(session, uid, booking.id, now=shift.starts_at)
                await vol.check_out(session, uid, booking.id, now=shift.starts_at + timedelta(minutes=90))
    finally:
        await engine.dispose()


async def _certificate_neighbour(idle_samples: int) -> dict[str, Any]:
    async with running_bot(prepare=_volunteers_with_service) as bot:
        emulator = bot.emulator
        await emulator.round_trip(1, "/certificate")  # Pillow and the font loaded once
        idle = [await emulator.round_trip(9000, "/start") for _ in range(idle_samples)]
        after = len(emulator.messages)
        started = time.perf_counter()
        for uid in range(1, CERTIFICATES + 1):
            emulator.push_update(emulator.message_update(uid, text="/certificate"))
        during: list[float] = []

        def delivered() -> int:
            return sum(1 for m in emulator.messages[after:] if m.method == "sendDocument")

        while delivered() < CERTIFICATES:
            during.append(await emulator.round_trip(9001, "/start"))
        rendering = time.perf_counter() - started
    return {"idle": idle, "during": during, "rendering": rendering}


async def certificate_neighbour(quick: bool = False) -> list[dict[str, Any]]:
    measured = await _certificate_neighbour(20 if quick else 50)
    return [
        result(
            "availability.certificate_neighbour",
            _percentile(measured["during"], 0.99) * 1000,
            "ms",
            baseline=_percentile(measured["idle"], 0.99) * 1000,
            higher_is_better=False,
            baseline_name="/start p99 with nothing else to do",
            goal="p99 ≤ 50 ms",
            during_p50_ms=round(_percentile(measured["during"], 0.5) * 1000, 1),
            samples=len(measured["during"]),
            certificates=CERTIFICATES,
            all_rendered_s=round(measured["rendering"], 2),
        )
    ]
