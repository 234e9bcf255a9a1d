"""The convention's content and search index on the running bot: loaded at start-up, read by the handlers."""

from __future__ import annotations

import asyncio

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


def load_content(application: BotApplication) -> None:
    """Load and check the content files, and start building the search index in a thread.

    A malformed file stops the start with one line (a ConfigError, printed by `chuangwen run`); the
    index needs jieba (seconds), so the bot answers everything else meanwhile.
    """
    data = application.bot_data
    try:
        data.resources[CONTENT_KEY] = load_convention(data.settings.data_dir)
    except ContentError as error:
        raise ConfigError(content_error_text(error)) from None
    loop = asyncio.get_running_loop()
    data.resources[INDEX_KEY] = loop.run_in_executor(None, cached_resources, data.settings.data_dir)


def convention_of(context: BotContext) -> Convention:
    convention: Convention = context.bot_data.resources[CONTENT_KEY]
    return convention


def convention_of_app(application: BotApplication) -> Convention:
    convention: Convention = application.bot_data.resources[CONTENT_KEY]
    return convention


async def search_index(context: BotContext) -> ConventionIndex:
    """The search index; built in the background at start-up, awaited here if not ready yet."""
    resources: ConventionResources = await context.bot_data.resources[INDEX_KEY]
    return resources.index
