"""The bot's Bot API client (bot/bot_api_http.py) over real HTTP, against the fake Bot API server:
messages with Chinese text and keyboards, uploads, and failures turned into PTB's errors."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.bot_api_http import AiohttpRequest
from bot.botapi_emulator import BotApiEmulator
from tests.support.fake_bot_api import serve_fake_bot_api

TOKEN = "4242:CLIENT"


def _bot(base_url: str, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=f"{base_url}/bot", request=request, get_updates_request=AiohttpRequest())


async def test_messages_keyboards_and_uploads_arrive_as_sent() -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url, _bot(base_url, AiohttpRequest(4)) as bot:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认", callback_data="tkc:ok:1")]])
        sent = await bot.send_message(
            42, "<b>您好</b>，投诉已受理 &amp; 转办", parse_mode="HTML", reply_markup=keyboard
        )
        await bot.send_document(
            42, document=b"%PDF-1.4 certificate", filename="证书.pdf", caption="志愿服务证明"
        )
    message, document = emulator.messages
    assert (message.chat_id, message.text, message.parse_mode) == (
        42,
        "<b>您好</b>，投诉已受理 &amp; 转办",
        "HTML",
    )
    assert message.message_id == sent.message_id
    assert message.reply_markup == {"inline_keyboard": [[{"text": "确认", "callback_data": "tkc:ok:1"}]]}
    assert (document.method, document.document_bytes, document.caption) == (
        "sendDocument",
        b"%PDF-1.4 certificate",
        "志愿服务证明",
    )


async def test_telegram_refusals_are_ptb_errors() -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url, _bot(base_url, AiohttpRequest()) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(
                42, "<b>未闭合", parse_mode="HTML"
            )  # the emulator parses HTML as Telegram does
    assert emulator.messages == []


async def test_a_server_that_does_not_answer_times_out() -> None:
    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", silent)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", read_timeout=0.2)
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_nothing_listening_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_a_request_before_initialize_is_refused() -> None:
    with pytest.raises(NetworkError, match="not initialized"):
        await AiohttpRequest().post(f"http://127.0.0.1:9/bot{TOKEN}/getMe")


def test_the_environment_names_the_proxy_and_the_hosts_that_bypass_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("https_proxy", "http_proxy", "no_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # lower-case names win over upper-case ones
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    request = AiohttpRequest()
    assert request._proxy_for(f"https://api.telegram.org/bot{TOKEN}/getMe") == "http://proxy.example:3128"
    assert request._proxy_for("https://internal.example/bot1:x/getMe") is None
    assert request._proxy_for("http://api.telegram.org/bot1:x/getMe") is None  # no HTTP_PROXY given
