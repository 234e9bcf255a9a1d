"""The convention's content and search index on the running bot: loaded at start-up, read by the handlers."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from bot.app import BotApplication, BotContext
from bot.config import ConfigError
from bot.services.convention import (
    ContentError,
    Convention,
    ConventionIndex,
    ConventionResources,
    cached_resources,
    load_convention,
)
from handlers.convention.views import content_error_text

CONTENT_KEY = "convention"
INDEX_KEY = "convention:index"
INDEX_WANTED_KEY = "convention:index-wanted"
# Building the index loads jieba's dictionary: about a second of CPU in a thread that mostly holds
# the GIL. Started with the bot, it slowed the first answers after a restart (which need nothing of
# it) by up to half a second; it starts this long after start-up instead, or at once when a
# question needs it.
INDEX_BUILD_DELAY_SECONDS = 1.5


def load_content(application: BotApplication) -> None:
    """Load and check the content files, and have the search index built in a thread.

    A malformed file stops the start with one line (a ConfigError, printed by `chuangwen run`); the
    index needs jieba (seconds), so the bot answers everything else meanwhile.
    """
    data = application.bot_data
    try:
        data.resources[CONTENT_KEY] = load_convention(data.settings.data_dir)
    except ContentError as error:
        raise ConfigError(content_error_text(error)) from None
    wanted = data.resources[INDEX_WANTED_KEY] = asyncio.Event()
    data.resources[INDEX_KEY] = asyncio.ensure_future(_build_index(data.settings.data_dir, wanted))
    data.shutdown_hooks.append(_stop_waiting_to_build)


async def _build_index(data_dir: Path, wanted: asyncio.Event) -> ConventionResources:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wanted.wait(), INDEX_BUILD_DELAY_SECONDS)
    return await asyncio.get_running_loop().run_in_executor(None, cached_resources, data_dir)


async def _stop_waiting_to_build(application: BotApplication) -> None:
    """A bot stopped within the delay has nothing to build (a build under way finishes in its thread)."""
    building = application.bot_data.resources.get(INDEX_KEY)
    if isinstance(building, asyncio.Future) and not building.done():
        building.cancel()


def convention_of(context: BotContext) -> Convention:
    convention: Convention = context.bot_data.resources[CONTENT_KEY]
    return convention


def convention_of_app(application: BotApplication) -> Convention:
    convention: Convention = application.bot_data.resources[CONTENT_KEY]
    return convention


async def search_index(context: BotContext) -> ConventionIndex:
    """The search index; built in the background after start-up, awaited here if not ready yet."""
    context.bot_data.resources[INDEX_WANTED_KEY].set()  # a question: build it now if still waiting
    resources: ConventionResources = await context.bot_data.resources[INDEX_KEY]
    return resources.index
