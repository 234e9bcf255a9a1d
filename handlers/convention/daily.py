"""The daily article (每日公约): content loaded at start-up, and the scheduled task of each day.

The daily article is a broadcast: the task of each day queues one notice to the 每日公约 topic
(``service.create_daily_notice``) and the broadcast engine delivers it, rate-limited and crash-safe.
The task sends nothing itself: a few set-based statements (about 1 s per 50,000 subscribers on
SQLite, 2 s on PostgreSQL), never one Telegram call per subscriber.
"""

from __future__ import annotations

import logging
from datetime import date

from bot.app import BotApplication
from bot.database import transaction
from bot.models import ScheduledTask
from bot.services import convention as service
from handlers.convention.resources import convention_of_app, load_content
from handlers.convention.views import daily_text
from handlers.kit.feature import TaskHandler

log = logging.getLogger(__name__)


async def on_startup(application: BotApplication) -> None:
    """Load and check the content files, start building the search index, schedule the daily article."""
    data = application.bot_data
    load_content(application)
    async with transaction(data.sessions) as session:
        await service.schedule_daily_article(
            session, data.clock.now(), data.settings.daily_article_time, data.settings.tz
        )


async def run_daily_article(application: BotApplication, task: ScheduledTask) -> service.DailyNotice | None:
    """The task of one day: queue that day's article for the broadcast engine (unless the day is over,
    e.g. the bot was down all day), then schedule the next day. Keys are per date and the loop row
    remembers the last day, so a day is queued once however often this runs."""
    data = application.bot_data
    settings = data.settings
    day = date.fromisoformat(str(task.payload.get("date")))
    notice = None
    try:
        today = (task.claimed_at or data.clock.now()).astimezone(settings.tz).date()
        if today > day:
            log.warning("daily article of %s skipped: it is already %s", day, today)
        else:
            async with transaction(data.sessions) as session:
                notice = await service.create_daily_notice(
                    session, convention_of_app(application), day, daily_text
                )
            log.info("daily article of %s: %s", day, notice or "already queued")
    finally:
        async with transaction(data.sessions) as session:
            await service.schedule_daily_article(
                session, data.clock.now(), settings.daily_article_time, settings.tz, after=day
            )
    return notice


def daily_task(application: BotApplication) -> TaskHandler:
    """The handler of the daily-article task kind, for this application."""

    async def run(task: ScheduledTask) -> None:
        await run_daily_article(application, task)

    return run
