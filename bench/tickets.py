"""Filing a complaint end to end: the real `chuangwen run` process against the HTTP fake Bot API.

One complaint is five round trips by one resident — /complain, the description, a location, 实名 (a
button), 确认 (a button) — ending with the ticket number, while the card goes to the staff chat.
Many residents file at once. Printed per database (SQLite, and PostgreSQL when reachable):
complaints per second and p50/p99 latency of a whole filing. Baseline, same run: a bare PTB echo bot
answering the same five round trips as plain text (the transport and PTB floor).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.run import result
from bot.botapi_emulator import BotApiEmulator, SentMessage
from tests.support.bot_process import start_bench_process
from tests.support.databases import admin_statement
from tests.support.fake_bot_api import serve_fake_bot_api

TOKEN = "4343:BENCH"
STAFF_CHAT = -100777
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TEXTS = [
    "小区门口有人乱扔垃圾，垃圾成堆没人管",
    "路口有人乱停车，堵住了消防通道",
    "晚上十点广场舞音响声音太大扰民",
    "人行道上的井盖坏了，很危险",
    "菜市场门口占道经营很严重",
    "电线杆上贴满了小广告",
]


class _WaitableEmulator(BotApiEmulator):
    """The emulator, waking waiters when the bot sends to their chat (no polling loop competing with it)."""

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


async def _next_to(emulator: _WaitableEmulator, chat_id: int, after: int, timeout: float = 60) -> SentMessage:
    """The first message (or edit) the bot sends to chat_id at index ≥ after."""
    deadline = time.monotonic() + timeout
    index = after
    while True:
        messages = emulator.messages
        while index < len(messages):
            if messages[index].chat_id == chat_id:
                return messages[index]
            index += 1
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no answer to chat {chat_id}")
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        emulator.waiters.setdefault(chat_id, []).append(waiter)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter, remaining)


async def _round_trip(emulator: _WaitableEmulator, user_id: int, update: dict[str, Any]) -> SentMessage:
    after = len(emulator.messages)
    emulator.push_update(update)
    return await _next_to(emulator, user_id, after)


async def _file_complaint(emulator: _WaitableEmulator, user_id: int, n: int) -> float:
    started = time.monotonic()
    await _round_trip(emulator, user_id, emulator.message_update(user_id, text="/complain"))
    text = f"{TEXTS[n % len(TEXTS)]}（第{n}处）"
    await _round_trip(emulator, user_id, emulator.message_update(user_id, text=text))
    location = {"latitude": 30.0 + n * 0.01, "longitude": 120.0}  # ~1 km apart: never duplicates
    identity = await _round_trip(emulator, user_id, emulator.message_update(user_id, location=location))
    summary = await _round_trip(emulator, user_id, emulator.callback_update(user_id, "tkc:anon:0", identity))
    confirm = next(b["callback_data"] for b in summary.buttons() if b["callback_data"].startswith("tkc:ok:"))
    filed = await _round_trip(emulator, user_id, emulator.callback_update(user_id, confirm, summary))
    while "编号" not in filed.body:  # the button's edit comes first, then the number
        filed = await _next_to(emulator, user_id, emulator.messages.index(filed) + 1)
    return time.monotonic() - started


async def _echo_five(emulator: _WaitableEmulator, user_id: int, n: int) -> float:
    started = time.monotonic()
    for step in ("/start", TEXTS[n % len(TEXTS)], "跳过", "实名反映", "确认"):
        await _round_trip(emulator, user_id, emulator.message_update(user_id, text=step))
    return time.monotonic() - started


async def _measure(
    command: list[str], database_url: str, residents: int, each: int, echo: bool
) -> dict[str, Any]:
    emulator = _WaitableEmulator()
    with tempfile.TemporaryDirectory() as tmp:
        async with serve_fake_bot_api(emulator) as base_url:
            process = start_bench_process(
                command,
                base_url,
                TOKEN,
                database_url.format(tmp=tmp),
                Path(tmp),
                STAFF_CHAT_ID=str(STAFF_CHAT),
            )
            try:
                # warm up: process start, migrations, jieba — not part of the measurement
                warm = 1
                await _round_trip(emulator, warm, emulator.message_update(warm, text="/start"))
                one = _echo_five if echo else _file_complaint
                await one(emulator, warm, 0)

                async def resident(user_id: int) -> list[float]:
                    return [await one(emulator, user_id, user_id * each + k) for k in range(each)]

                started = time.monotonic()
                per_resident = await asyncio.gather(*(resident(1000 + r) for r in range(residents)))
                elapsed = time.monotonic() - started
            finally:
                process.terminate()
                await asyncio.to_thread(process.wait, 30)
    latencies = sorted(x for xs in per_resident for x in xs)
    return {"rate": len(latencies) / elapsed, "latencies": latencies}


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench_tickets(quick: bool = False, database_url: str | None = None) -> list[dict[str, Any]]:
    residents, each = (5, 2) if quick else (20, 5)
    bot = [sys.executable, "-m", "bot", "run", "--poll-timeout", "1"]
    echo_bot = [sys.executable, "-m", "bench.echo_bot"]
    sqlite = "sqlite+aiosqlite:///{tmp}/bench.sqlite3"
    baseline = await _measure(echo_bot, sqlite, residents, each, echo=True)
    targets = [("sqlite", sqlite)]
    server = make_url(database_url or DEFAULT_POSTGRES)
    name = f"cw_bench_{secrets.token_hex(4)}"
    admin_url = server.render_as_string(hide_password=False)
    try:
        await admin_statement(admin_url, f'CREATE DATABASE "{name}"')
        targets.append(("postgresql", server.set(database=name).render_as_string(hide_password=False)))
    except Exception as error:  # no PostgreSQL here: report SQLite only, and say why
        print(f'{{"name": "tickets.postgresql", "skipped": "{type(error).__name__}"}}', flush=True)
    rows = []
    try:
        for label, url in targets:
            ours = await _measure(bot, url, residents, each, echo=False)
            rows.append(
                result(
                    f"tickets.complaints_per_second[{label}]",
                    ours["rate"],
                    "complaints/s",
                    baseline=baseline["rate"],
                    baseline_name="PTB echo bot, same 5 round trips",
                    residents=residents,
                    complaints=len(ours["latencies"]),
                )
            )
            for q in (0.5, 0.99):
                rows.append(
                    result(
                        f"tickets.filing_latency_p{int(q * 100)}[{label}]",
                        _percentile(ours["latencies"], q) * 1000,
                        "ms",
                        baseline=_percentile(baseline["latencies"], q) * 1000,
                        higher_is_better=False,
                        baseline_name="PTB echo bot, same 5 round trips",
                    )
                )
    finally:
        if len(targets) > 1:
            await admin_statement(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return rows
