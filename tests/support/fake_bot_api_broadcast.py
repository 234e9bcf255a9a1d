"""A Bot API over HTTP (aiohttp) around ``BotApiEmulator``, for crash/two-process tests and the benchmark.

``serve(emulator)`` yields the base URL to give a bot as TELEGRAM_API_BASE_URL. ``before_send`` (an
async hook called before every send method reaches the emulator) lets a test act at an exact
point, e.g. ``kill -9`` the sender while message N+1 is in flight.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from bot.botapi_emulator import SEND_METHODS, BotApiEmulator, BotApiError

BeforeSend = Callable[[str, dict[str, Any]], Awaitable[None]]


class Abort(Exception):
    """Raised by a ``before_send`` hook: answer 500 without reaching the emulator."""


def _app(emulator: BotApiEmulator, before_send: BeforeSend | None) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params: dict[str, Any] = await request.json()
        else:
            params = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        try:
            if before_send is not None and method in SEND_METHODS:
                await before_send(method, params)
            result = await emulator.call(method, params)
        except Abort:
            return web.json_response({"ok": False, "error_code": 500, "description": "aborted"}, status=500)
        except BotApiError as error:
            body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.code)
        return web.Response(text=json.dumps({"ok": True, "result": result}), content_type="application/json")

    app = web.Application()
    app.router.add_route("POST", "/bot{token}/{method}", handle)
    return app


@asynccontextmanager
async def serve(
    emulator: BotApiEmulator, port: int = 0, before_send: BeforeSend | None = None
) -> AsyncIterator[str]:
    runner = web.AppRunner(_app(emulator, before_send), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server = site._server
    assert server is not None
    bound = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        await runner.cleanup()
