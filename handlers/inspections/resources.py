"""The standards and sites on the running bot: loaded and checked at start-up, read by the handlers,
the scheduled tasks and the report (which has only the data directory: it reads them through a
cache that notices edited files)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.app import BotApplication, BotContext
from bot.config import ConfigError
from bot.services.inspections import ContentError, InspectionContent, load_content
from bot.services.inspections.content import DEPARTMENTS_FILE, DISTRICTS_FILE, SITES_FILE, STANDARDS_FILE
from handlers.inspections.views import content_error_text

CONTENT_KEY = "inspections"


async def load_at_startup(application: BotApplication) -> None:
    """Start-up hook: a malformed standards or sites file stops the start with one line."""
    data = application.bot_data
    try:
        data.resources[CONTENT_KEY] = load_content(data.settings.data_dir)
    except ContentError as error:
        raise ConfigError(content_error_text(error)) from None


def content_of(context: BotContext) -> InspectionContent:
    return content_of_app_data(context.bot_data.resources, context.settings.data_dir)


def content_of_app(application: BotApplication) -> InspectionContent:
    data = application.bot_data
    return content_of_app_data(data.resources, data.settings.data_dir)


def content_of_app_data(resources: dict[str, object], data_dir: Path) -> InspectionContent:
    found = resources.get(CONTENT_KEY)
    if isinstance(found, InspectionContent):
        return found
    content = content_for(data_dir)  # an Application built without its start-up (a CLI, a bench)
    resources[CONTENT_KEY] = content
    return content


def content_for(data_dir: Path) -> InspectionContent:
    """The content of ``data_dir``, read again only when one of its files changed."""
    stamps = tuple(
        _stamp(data_dir / name) for name in (STANDARDS_FILE, SITES_FILE, DEPARTMENTS_FILE, DISTRICTS_FILE)
    )
    return _cached(data_dir, stamps)


@lru_cache(maxsize=4)
def _cached(data_dir: Path, stamps: tuple[float, ...]) -> InspectionContent:
    return load_content(data_dir)


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
