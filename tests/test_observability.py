"""/healthz and /metrics over real HTTP on 127.0.0.1: in-process, and beside the running bot."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import CommandHandler

from bot import observability
from bot.app import BotApplication, BotContext, build_application
from bot.botapi_emulator import BotApiEmulator, OfflineRequest
from bot.config import Settings
from bot.database import make_engine, make_sessionmaker, transaction
from bot.models import (
    AudienceKind,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    ScheduledTask,
    ScheduleKind,
)
from bot.timeutil import utcnow
from bot.web import BotWebServer
from tests.support.bot_process import BotProcess, wait_for
from tests.support.fake_bot_api import serve_fake_bot_api

TOKEN = "626262:OBSERVE"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(exposition: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def boom(update: Update, context: BotContext) -> None:
    raise RuntimeError("a bug in a handler")


@pytest.fixture
async def application(settings: Settings, engine: AsyncEngine) -> AsyncIterator[BotApplication]:
    """Initialized, not started: no scheduler or broadcast sender runs behind the test's back."""
    emulator = BotApiEmulator(token="123456:TEST")
    app = build_application(settings, request=OfflineRequest(emulator), engine=engine)
    app.add_handler(CommandHandler("boom", boom), group=-5)
    await app.initialize()
    try:
        yield app
    finally:
        await app.shutdown()


async def handle(app: BotApplication, user_id: int, text: str) -> None:
    """Through the update processor, as `chuangwen run` hands every update over."""
    payload = BotApiEmulator(token="123456:TEST").message_update(user_id, text=text)
    payload["update_id"] = 1
    update = Update.de_json(payload, app.bot)
    await app.update_processor.process_update(update, app.process_update(update))


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def test_metrics_count_updates_and_read_queues_over_http(application: BotApplication) -> None:
    now = utcnow()
    async with transaction(application.bot_data.sessions) as session:
        session.add(ScheduledTask(key="overdue", kind="test", due_at=now - timedelta(minutes=10)))
        broadcast = Broadcast(
            text="通知",
            audience_kind=AudienceKind.STAFF,
            schedule_kind=ScheduleKind.NOW,
            status=BroadcastStatus.RUNNING,
        )
        session.add(broadcast)
        await session.flush()
        for chat_id, due in ((1, now - timedelta(minutes=3)), (2, now), (3, now + timedelta(hours=1))):
            session.add(
                Delivery(
                    broadcast_id=broadcast.id,
                    user_id=chat_id,
                    chat_id=chat_id,
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=due,
                )
            )
    server = BotWebServer(application)
    port = server.start("127.0.0.1", 0)
    try:
        status, _, before_text = await get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        before = samples(before_text)
        await handle(application, 31, "/help")
        await handle(application, 31, "你好")
        await handle(application, 31, "/boom")
        status, content_type, after_text = await get(f"http://127.0.0.1:{port}/metrics")
    finally:
        await server.stop()
    assert status == 200 and content_type.startswith("text/plain")
    after = samples(after_text)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("chuangwen_updates_total", kind="command", result="ok") == 1
    assert delta("chuangwen_updates_total", kind="text", result="ok") == 1
    assert delta("chuangwen_updates_total", kind="command", result="error") == 1
    assert delta("chuangwen_update_handling_seconds_count", kind="command") == 2
    assert after[("chuangwen_broadcast_queue_depth", ())] == 2  # the third is not due yet
    assert after[("chuangwen_broadcast_queue_oldest_age_seconds", ())] >= 180
    assert after[("chuangwen_scheduler_lag_seconds", ())] >= 600
    assert after[("chuangwen_database_up", ())] == 1
    assert ("chuangwen_updates_queued", ()) in after


async def test_database_errors_are_counted(application: BotApplication) -> None:
    key = ("chuangwen_database_errors_total", (("kind", "other"),))
    before = samples((await observability.metrics_text(application)).decode()).get(key, 0.0)
    with pytest.raises(Exception, match="no_such_table"):
        async with transaction(application.bot_data.sessions, read_only=True) as session:
            await session.execute(text("SELECT * FROM no_such_table"))
    after = samples((await observability.metrics_text(application)).decode())[key]
    assert after == before + 1


async def test_healthz_says_what_is_wrong(application: BotApplication, tmp_path: Path) -> None:
    server = BotWebServer(application)
    port = server.start("127.0.0.1", 0)
    url = f"http://127.0.0.1:{port}/healthz"
    data = application.bot_data
    try:
        observability.note_started(data)
        status, content_type, body = await get(url)
        assert status == 200 and content_type.startswith("application/json")
        report: dict[str, Any] = json.loads(body)
        assert report["status"] == "ok" and report["database"] == "ok"
        assert report["scheduler_lag_seconds"] == 0 and report["broadcast_queue_depth"] == 0

        # The scheduler has not looked for due tasks for far longer than its interval: stuck.
        data.resources[observability.SCHEDULER_RUN_KEY] = time.monotonic() - 10 * 3600 - 60
        status, _, body = await get(url)
        assert status == 503 and json.loads(body)["status"] == "unhealthy"
        observability.note_scheduler_run(data)

        # The database does not answer.
        working = data.sessions
        broken = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite3'}")
        data.sessions = make_sessionmaker(broken)
        (tmp_path / "missing" / "dir").rmdir()  # make_engine created it; without it nothing connects
        try:
            status, _, body = await get(url)
        finally:
            data.sessions = working
            await broken.dispose()
        assert status == 503 and json.loads(body)["database"] != "ok"
        status, _, _ = await get(url)
        assert status == 200
    finally:
        await server.stop()


async def test_polling_bot_serves_health_and_metrics_on_metrics_port(
    database_url: str, tmp_path: Path, engine: AsyncEngine
) -> None:
    port = free_port()
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(base_url, TOKEN, database_url, tmp_path, METRICS_PORT=str(port))
        bot.start()
        try:
            emulator.push_update(emulator.message_update(8101, text="/start"))
            await wait_for(emulator, lambda m: m.chat_id == 8101)
            status, _, body = await get(f"http://127.0.0.1:{port}/healthz")
            assert status == 200 and json.loads(body)["database"] == "ok"
            status, _, exposition = await get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200
            handled = samples(exposition)
            assert handled[("chuangwen_updates_total", (("kind", "command"), ("result", "ok")))] >= 1
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()


async def test_webhook_bot_serves_health_and_metrics_beside_the_webhook(
    database_url: str, tmp_path: Path, engine: AsyncEngine
) -> None:
    port = free_port()
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(
            base_url,
            TOKEN,
            database_url,
            tmp_path,
            WEBHOOK_URL=f"https://bot.example.org/{TOKEN.split(':')[0]}",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET="s3cret",
        )
        bot.start(webhook=True)
        try:
            update = emulator.message_update(8102, text="/start")
            update["update_id"] = emulator.next_update_id()
            webhook = f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret", "Content-Type": "application/json"}
            async with aiohttp.ClientSession() as client:
                for _ in range(300):  # until the server listens
                    try:
                        async with client.get(f"http://127.0.0.1:{port}/healthz") as response:
                            assert response.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
                async with client.post(webhook, data=json.dumps(update), headers=headers) as response:
                    assert response.status == 200
                async with client.post(
                    webhook, data="{}", headers={"Content-Type": "application/json"}
                ) as bad:
                    assert bad.status == 403
                async with client.post(webhook, data="not json", headers=headers) as garbled:
                    assert garbled.status == 400
            await wait_for(emulator, lambda m: m.chat_id == 8102)
            status, _, exposition = await get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200
            assert (
                samples(exposition)[("chuangwen_updates_total", (("kind", "command"), ("result", "ok")))] >= 1
            )
            assert any(method == "setWebhook" for method, _ in emulator.calls)
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()
        assert "Traceback" not in bot.output()
