"""The bot's own HTTP server: ``/healthz``, ``/metrics`` and, in webhook mode, the Telegram webhook.

In polling mode it listens on ``METRICS_LISTEN:METRICS_PORT`` (only when METRICS_PORT is set). In
webhook mode the webhook, ``/healthz`` and ``/metrics`` share ``WEBHOOK_LISTEN:WEBHOOK_PORT``
(and METRICS_PORT, when set, serves the two again on a port that need not face the internet).
Tornado is the web server python-telegram-bot's webhook extra already brings.

Webhook mode runs the Application the way python-telegram-bot documents for custom web servers:
initialize, setWebhook, start, then updates posted by Telegram go into ``update_queue``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import signal
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler

from bot import observability

if TYPE_CHECKING:
    from bot.app import BotApplication
    from bot.config import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _BotHandler(RequestHandler):
    # (not "application": tornado's own keyword for its Application)
    def initialize(self, bot_application: BotApplication, secret: str | None = None) -> None:
        self.bot_application = bot_application
        self.secret = secret


class HealthHandler(_BotHandler):
    async def get(self) -> None:
        health = await observability.check(self.bot_application)
        self.set_status(200 if health.ok else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(health.as_json(), ensure_ascii=False))


class MetricsHandler(_BotHandler):
    async def get(self) -> None:
        body = await observability.metrics_text(self.bot_application)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(body)


class WebhookHandler(_BotHandler):
    """Telegram posts each update as JSON; the secret token header proves it is Telegram."""

    SUPPORTED_METHODS = ("POST",)

    async def post(self) -> None:
        if self.secret is None or not hmac.compare_digest(
            self.request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()
        ):
            self.set_status(403)
            self.finish()
            return
        try:
            payload = json.loads(self.request.body)
        except ValueError:
            self.set_status(400)
            self.finish()
            return
        application = self.bot_application
        update = Update.de_json(payload, application.bot)
        if update is not None:
            await application.update_queue.put(update)
        self.set_status(200)
        self.finish()


class BotWebServer:
    """One listening socket serving the routes above."""

    def __init__(
        self, application: BotApplication, *, webhook_path: str | None = None, secret: str | None = None
    ) -> None:
        routes: list[Any] = [
            (r"/healthz", HealthHandler, {"bot_application": application}),
            (r"/metrics", MetricsHandler, {"bot_application": application}),
        ]
        if webhook_path is not None:
            routes.append(
                (
                    rf"/{webhook_path.strip('/')}/?",
                    WebhookHandler,
                    {"bot_application": application, "secret": secret},
                )
            )
        # log_function: access lines would drown the bot's own log (one per update in webhook mode)
        self._server = HTTPServer(TornadoApplication(routes, log_function=lambda _handler: None))
        self.port: int | None = None
        self._stopped = False

    def start(self, listen: str, port: int) -> int:
        """Listen (port 0: any free port); returns the port."""
        sockets = bind_sockets(port, address=listen)
        self._server.add_sockets(sockets)
        self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.stop()
        await self._server.close_all_connections()


# ---------------------------------------------------------------- polling mode: a port of its own
SERVER_KEY = "web.server"


async def start_metrics_server(application: BotApplication) -> None:
    """Start-up hook: serve /healthz and /metrics on METRICS_PORT (when it is set)."""
    settings = application.bot_data.settings
    if settings.metrics_port is None:
        return
    server = BotWebServer(application)
    port = server.start(settings.metrics_listen, settings.metrics_port)
    application.bot_data.resources[SERVER_KEY] = server
    log.info("health and metrics on http://%s:%d/healthz and /metrics", settings.metrics_listen, port)


async def stop_metrics_server(application: BotApplication) -> None:
    server = application.bot_data.resources.pop(SERVER_KEY, None)
    if isinstance(server, BotWebServer):
        await server.stop()


# ---------------------------------------------------------------- webhook mode
def webhook_path(settings: Settings) -> str:
    """The path Telegram posts to: the bot's numeric id (the token's public half)."""
    return settings.telegram_bot_token.split(":")[0]


async def run_webhook(application: BotApplication, settings: Settings) -> None:
    """Run until SIGINT or SIGTERM: the webhook, /healthz and /metrics on WEBHOOK_LISTEN:WEBHOOK_PORT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        # Telegram sends this token with every update; a request without it gets 403 and is never
        # processed. Without WEBHOOK_SECRET a strong one is made for this run and given to
        # setWebhook (a restart makes a new one and tells Telegram again).
        secret = settings.webhook_secret or secrets.token_urlsafe(48)
        if not settings.webhook_secret:
            log.info("WEBHOOK_SECRET not set: using a random secret for this run")
        server = BotWebServer(application, webhook_path=webhook_path(settings), secret=secret)
        server.start(settings.webhook_listen, settings.webhook_port)
        try:
            await application.bot.set_webhook(
                url=settings.webhook_url or "",
                allowed_updates=Update.ALL_TYPES,
                secret_token=secret,
            )
            await application.start()
            try:
                await stopping.wait()
            finally:
                await server.stop()  # no new updates; the ones received are still handled
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
        finally:
            await server.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
