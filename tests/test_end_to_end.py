"""The real `chuangwen run` process against the HTTP fake Bot API."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from bot import texts
from bot.botapi_emulator import BotApiEmulator
from handlers.kit import texts as kit_texts
from handlers.nominations import texts as nomination_texts
from tests.support.bot_process import BotProcess, wait_for
from tests.support.fake_bot_api import serve_fake_bot_api

pytestmark = pytest.mark.real_clock  # the bot runs in its own process, on real time

TOKEN = "424242:E2E-TOKEN"


async def test_run_answers_start_with_menu_and_stops_cleanly(
    database_url: str, tmp_path: Path, engine
) -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(base_url, TOKEN, database_url, tmp_path, ADMIN_IDS="900001")
        bot.start()
        try:
            emulator.push_update(emulator.message_update(5551, text="/start"))
            welcome = await wait_for(emulator, lambda m: m.chat_id == 5551 and "欢迎使用" in m.body)
            assert welcome.keyboard()[:2] == [kit_texts.MENU_COMPLAIN, kit_texts.MENU_VOLUNTEER]
            names = {c["command"] for c in emulator.commands.get("default", [])}
            assert {"start", "help"} <= names  # setMyCommands at start-up

            emulator.push_update(emulator.message_update(5551, text="/nosuchcommand"))
            await wait_for(emulator, lambda m: m.chat_id == 5551 and "/nosuchcommand" in m.body)

            # A resident calling an admin command is refused; the configured admin is not.
            emulator.push_update(emulator.message_update(5551, text="/grant 5551 admin"))
            await wait_for(emulator, lambda m: m.chat_id == 5551 and m.body == texts.NOT_ALLOWED)
            emulator.push_update(emulator.message_update(900001, text="/grant 5551 staff"))
            await wait_for(emulator, lambda m: m.chat_id == 900001 and "5551" in m.body)
            emulator.push_update(emulator.message_update(5551, text="/staff"))
            staff_list = await wait_for(
                emulator, lambda m: m.chat_id == 5551 and m.body != texts.NOT_ALLOWED and "5551" in m.body
            )
            assert texts.NOT_ALLOWED not in staff_list.body
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()
        assert "Traceback" not in bot.output()


def test_run_without_token_says_so_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT

    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "TELEGRAM_BOT_TOKEN": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


async def test_webhook_mode_answers_posted_updates(database_url: str, tmp_path: Path, engine) -> None:
    import json
    import socket

    import aiohttp

    with socket.socket() as probe:  # a free port for the bot's webhook server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
            update = emulator.message_update(6001, text="/start")
            url = f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret", "Content-Type": "application/json"}
            async with aiohttp.ClientSession() as client:
                for _ in range(200):  # until the webhook server listens
                    try:
                        async with client.post(url, data=json.dumps(update), headers=headers) as response:
                            assert response.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
                async with client.post(
                    url, data=json.dumps(update), headers={"Content-Type": "application/json"}
                ) as bad:
                    assert bad.status == 403  # a wrong secret token is refused
            await wait_for(emulator, lambda m: m.chat_id == 6001 and "欢迎使用" in m.body)
            assert any(method == "setWebhook" for method, _ in emulator.calls)
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()


async def test_webhook_without_a_configured_secret_refuses_forged_updates(
    database_url: str, tmp_path: Path, sessions
) -> None:
    """WEBHOOK_SECRET unset: a forged "/grant" from an admin's id is refused with 403 and changes
    nothing; Telegram is given a strong random secret, and updates carrying it are answered."""
    import json
    import socket

    import aiohttp

    from bot.models import Role, User

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(
            base_url,
            TOKEN,
            database_url,
            tmp_path,
            ADMIN_IDS="900001",
            WEBHOOK_URL=f"https://bot.example.org/{TOKEN.split(':')[0]}",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        bot.start(webhook=True)
        try:
            url = f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
            forged = emulator.message_update(900001, text="/grant 31337 admin")
            plain = {"Content-Type": "application/json"}
            async with aiohttp.ClientSession() as client:
                for _ in range(300):  # until the webhook server listens
                    try:
                        async with client.post(url, data=json.dumps(forged), headers=plain) as response:
                            assert response.status == 403
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
                else:
                    raise AssertionError("the webhook server never listened")
                wrong = {**plain, "X-Telegram-Bot-Api-Secret-Token": "guess"}
                async with client.post(url, data=json.dumps(forged), headers=wrong) as response:
                    assert response.status == 403
                (set_webhook,) = [params for method, params in emulator.calls if method == "setWebhook"]
                secret = str(set_webhook["secret_token"])
                assert len(secret) >= 32
                real = {**plain, "X-Telegram-Bot-Api-Secret-Token": secret}
                start = emulator.message_update(6002, text="/start")
                async with client.post(url, data=json.dumps(start), headers=real) as response:
                    assert response.status == 200
            await wait_for(emulator, lambda m: m.chat_id == 6002 and "欢迎使用" in m.body)
            assert not [m for m in emulator.messages if m.chat_id == 900001]  # the forgery did nothing
            async with sessions() as session:
                granted = await session.get(User, 31337)
            assert granted is None or granted.role is not Role.ADMIN
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()
        assert secret not in bot.output()  # the secret is never logged


async def test_kill_9_in_the_middle_of_a_conversation_then_restart_continues_it(
    database_url: str, tmp_path: Path, engine
) -> None:
    emulator = BotApiEmulator(token=TOKEN)
    user = 7001
    async with serve_fake_bot_api(emulator) as base_url:
        first = BotProcess(base_url, TOKEN, database_url, tmp_path)
        first.start()
        try:
            emulator.push_update(emulator.message_update(user, text="/nominate"))
            kinds = await wait_for(emulator, lambda m: m.chat_id == user and bool(m.buttons()))
            emulator.push_update(emulator.callback_update(user, kinds.buttons()[1]["callback_data"], kinds))
            await wait_for(emulator, lambda m: m.chat_id == user and m.body == nomination_texts.ASK_NAME)
            await asyncio.sleep(2.5)  # persistence is written every second
        finally:
            await first.stop(signal.SIGKILL)
        mark = len(emulator.messages)
        second = BotProcess(base_url, TOKEN, database_url, tmp_path)
        second.start()
        try:
            emulator.push_update(emulator.message_update(user, text="王秀英"))
            reply = await wait_for(emulator, lambda m: m.chat_id == user, after=mark)
            assert reply.body == nomination_texts.ASK_COMMUNITY  # the name step continued after the crash
        finally:
            await second.stop()
