"""Builds the Application: one place for all wiring (settings, database, persistence, handlers, jobs)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CallbackContext, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest

from bot import observability
from bot.bot_api_http import AiohttpRequest
from bot.clock import SystemClock, use_clock
from bot.config import Settings
from bot.database import make_engine, make_sessionmaker, transaction
from bot.flood import FloodGate
from bot.jieba_loader import import_jieba
from bot.persistence import DatabasePersistence
from bot.scheduler import TaskRunner, mark_interrupted
from bot.services.users import Actor, get_actor
from bot.sightings import FLUSH_INTERVAL_SECONDS, SightingBuffer
from bot.update_processor import PerUserUpdateProcessor

log = logging.getLogger(__name__)

StartupHook = Callable[["BotApplication"], Awaitable[None]]
PUBLISHING_COMMANDS = "start-up: publishing commands"


class BotData:
    """Long-lived resources of one running bot, reached as ``context.bot_data``.

    PTB creates it with no arguments; ``build_application`` fills it before anything runs.
    """

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: SystemClock  # the one clock (see bot.clock)

    def __init__(self) -> None:
        self.flood = FloodGate()
        self.tasks = TaskRunner()
        self.startup_hooks: list[StartupHook] = []
        self.shutdown_hooks: list[StartupHook] = []
        self.console = False  # True inside `chuangwen console`
        self.resources: dict[str, Any] = {}  # feature resources built at start-up (e.g. the classifier)
        self.sightings = SightingBuffer()  # /start's user rows, written a second later (bot.sightings)


class BotContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], BotData]):
    """The callback context, with typed shortcuts to the bot's resources."""

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def clock(self) -> SystemClock:
        return self.bot_data.clock

    @asynccontextmanager
    async def transaction(self, *, read_only: bool = False) -> AsyncIterator[AsyncSession]:
        async with transaction(self.bot_data.sessions, read_only=read_only) as session:
            yield session

    async def actor(self, update: Update) -> Actor:
        """The acting user's role, read once per update: PTB makes one context per update, so the
        guard and the handler behind it share one read instead of a transaction each."""
        user = update.effective_user
        if user is None:
            raise ValueError("update without a user")
        cached: Actor | None = self.__dict__.get("_actor")
        if cached is not None and cached.user_id == user.id:
            return cached
        async with transaction(self.bot_data.sessions, read_only=True) as session:
            actor = await get_actor(session, user.id, self.settings.admin_ids)
        self.__dict__["_actor"] = actor
        return actor


BotApplication = Application[ExtBot[None], BotContext, dict[str, Any], dict[str, Any], BotData, Any]
CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)


# Connections to the Bot API for everything but getUpdates. Telegram takes about 30 messages a second
# from a bot; 8 connections at a 100 ms round trip carry 80 requests a second.
BOT_API_CONNECTIONS = 8
GET_UPDATES_READ_TIMEOUT = 35.0  # seconds: longer than the long poll the updater asks for


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    engine: AsyncEngine | None = None,
    persistence: bool = True,
    token: str | None = None,
    clock: SystemClock | None = None,
) -> BotApplication:
    """The same Application for `run`, `console` and tests; only the request (network) and, in
    tests, the clock differ."""
    import_jieba()  # before the handlers import it the slow way (see bot.jieba_loader)
    import handlers  # imported here: handlers import bot.app for BotContext

    clock = clock or SystemClock(settings.tz)
    use_clock(clock)  # column defaults and services without a `now` read the same time
    engine = engine or make_engine(settings.database_url, busy_timeout=settings.database_busy_timeout_seconds)
    observability.watch_engine(engine)
    sessions = make_sessionmaker(engine)
    builder = (
        ApplicationBuilder()
        .token(token or settings.telegram_bot_token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .concurrent_updates(PerUserUpdateProcessor(settings.max_concurrent_updates))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        builder = builder.request(AiohttpRequest(BOT_API_CONNECTIONS)).get_updates_request(
            AiohttpRequest(read_timeout=GET_UPDATES_READ_TIMEOUT)
        )
    if persistence:
        builder = builder.persistence(DatabasePersistence(sessions))
    application: BotApplication = builder.build()
    data = application.bot_data
    data.settings, data.engine, data.sessions, data.clock = settings, engine, sessions, clock
    data.tasks = TaskRunner(clock)
    data.flood = FloodGate(settings.flood_max_messages, settings.flood_window_seconds, clock=clock)
    application.add_error_handler(observability.note_error)
    handlers.register_all(application)
    return application


async def _post_init(application: BotApplication) -> None:
    data = application.bot_data
    observability.note_started(data)
    async with transaction(data.sessions) as session:
        interrupted = await mark_interrupted(session)
    if interrupted:
        log.warning(
            "%d scheduled task(s) were interrupted by the last stop and will not run twice", interrupted
        )
    for hook in data.startup_hooks:
        await hook(application)
    # In the background: the command menus need a Bot API round trip per admin, and nobody should
    # wait for them to get an answer.
    data.resources[PUBLISHING_COMMANDS] = asyncio.create_task(_publish_commands(application))
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _run_due_tasks,
            interval=data.settings.scheduler_interval_seconds,
            first=0.5,
            name="scheduled-tasks",
        )
        application.job_queue.run_repeating(
            _flush_sightings, interval=FLUSH_INTERVAL_SECONDS, first=FLUSH_INTERVAL_SECONDS, name="sightings"
        )


async def start_up_settled(application: BotApplication) -> None:
    """Wait for the start-up work that runs in the background (the console and tests want it done)."""
    publishing = application.bot_data.resources.get(PUBLISHING_COMMANDS)
    if isinstance(publishing, asyncio.Task):
        await publishing


async def _publish_commands(application: BotApplication) -> None:
    import handlers

    try:
        await handlers.publish_commands(application)
    except Exception:
        log.exception("could not publish the command menus")


async def _run_due_tasks(context: BotContext) -> None:
    observability.note_scheduler_run(context.bot_data)
    await context.bot_data.tasks.run_due(context.bot_data.sessions)
    context.bot_data.flood.forget_idle()  # keeps flood-control memory bounded to recently active users


async def _flush_sightings(context: BotContext) -> None:
    await context.bot_data.sightings.flush(context.bot_data.sessions)


async def _post_shutdown(application: BotApplication) -> None:
    for hook in application.bot_data.shutdown_hooks:
        await hook(application)
    publishing = application.bot_data.resources.pop(PUBLISHING_COMMANDS, None)
    if isinstance(publishing, asyncio.Task) and not publishing.done():
        publishing.cancel()
    await application.bot_data.sightings.flush(application.bot_data.sessions)
    await application.bot_data.engine.dispose()
