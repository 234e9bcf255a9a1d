"""A fake Telegram Bot API over real HTTP on 127.0.0.1, for end-to-end tests and benchmarks.

It serves ``BotApiEmulator`` (getMe, getUpdates long polling, sendMessage, editMessageText,
answerCallbackQuery, setMyCommands, deleteWebhook, sendPhoto, sendDocument, …) at
``http://127.0.0.1:PORT/bot<token>/<method>``, so the real ``chuangwen run`` process can be pointed
at it with ``TELEGRAM_API_BASE_URL``. Requests arrive as python-telegram-bot sends them: form fields
whose values are JSON (strings raw), or multipart with files.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from bot.botapi_emulator import BotApiEmulator, BotApiError

# Parameters whose values are plain strings even when they look like JSON ("123", "true").
STRING_PARAMETERS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "file_id",
        "title",
        "address",
        "phone_number",
        "first_name",
        "last_name",
        "emoji",
        "action",
        "description",
        "short_description",
        "language_code",
        "query",
        "name",
        "certificate",
        "ip_address",
        "business_connection_id",
    }
)


def _decode(key: str, value: str) -> Any:
    if key in STRING_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _parameters(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = {key: _decode(key, value) for key, value in request.query.items()}
    content_type = request.content_type
    if content_type == "application/json":
        params.update(await request.json())
    elif content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not hasattr(part, "name"):
                continue
            if part.filename:  # type: ignore[union-attr]
                params[part.name] = (part.filename, await part.read())  # type: ignore[union-attr]
            else:
                params[part.name] = _decode(part.name or "", await part.text())  # type: ignore[union-attr]
    elif request.can_read_body:
        form = await request.post()
        params.update({key: _decode(key, str(value)) for key, value in form.items()})
    # Files attached as "attach://name" point at a multipart field of that name.
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.get(value.removeprefix("attach://"), value)
    return params


def make_app(emulator: BotApiEmulator, latency: float = 0.0) -> web.Application:
    async def api(request: web.Request) -> web.Response:
        if request.match_info["token"] != emulator.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await _parameters(request)
        if latency and request.match_info["method"] != "getUpdates":
            await asyncio.sleep(latency)  # Telegram's round trip, for the bot's calls (not long polling)
        try:
            result = await emulator.call(request.match_info["method"], params)
        except BotApiError as error:
            body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.code)
        return web.json_response(
            {"ok": True, "result": result}, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    app = web.Application(client_max_size=60 * 1024 * 1024)
    app.router.add_route("*", "/bot{token}/{method}", api)
    return app


@asynccontextmanager
async def serve_fake_bot_api(
    emulator: BotApiEmulator, port: int = 0, latency: float = 0.0
) -> AsyncIterator[str]:
    """Serve the emulator on 127.0.0.1 (a free port by default); yields the base URL for the bot.

    ``latency``: seconds every Bot API call but getUpdates takes, like Telegram far away.
    """
    runner = web.AppRunner(make_app(emulator, latency), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound_port = sockets[0].getsockname()[1] if sockets else port
    try:
        yield f"http://127.0.0.1:{bound_port}"
    finally:
        await runner.cleanup()
