"""The 好人榜: /publishhonors puts the approved nominees on this month's roll; /honors shows a month.

Publishing tells each nominator (through the outbox, in the publication's transaction) and queues
the announcement to 好人榜 subscribers through the broadcast engine (rate-limited, crash-safe, listed
in /broadcasts, skipping those who opted out or blocked the bot).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.app import BotContext
from bot.models import AudienceKind, ScheduleKind, Topic
from bot.services import broadcasts
from bot.services import nominations as service
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import reply, send_view
from handlers.nominations import owed, staff_views, texts, views
from handlers.nominations.callbacks import HonorsButton


@campaign_staff_only
async def publish_honors(update: Update, context: BotContext) -> None:
    """/publishhonors: approved nominees onto this month's 好人榜; nominators and subscribers told."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        publication = await service.publish(session, actor, now=context.clock.now(), tz=context.settings.tz)
        notice = await broadcasts.create(
            session,
            actor,
            text=views.announcement_text(publication),
            photo_file_id=None,
            audience_kind=AudienceKind.TOPIC,
            audience_param=Topic.HONORS.value,
            schedule=broadcasts.Schedule(ScheduleKind.NOW),
        )
        sent = await broadcasts.pending_count_for(session, notice.id)
        for change in publication.changes:
            await owed.tell_nominators(session, change.notices, views.status_notice, kind=owed.Owed.PUBLISHED)
    await reply(update, staff_views.published_text(publication, sent))


async def honors_command(update: Update, context: BotContext) -> None:
    """/honors [YYYY-MM]: that month's 好人榜 (the latest by default), by kind, with each story."""
    await show_roll(update, context, context.args[0] if context.args else None)


async def honors_pressed(update: Update, context: BotContext, press: HonorsButton) -> None:
    """Another month of the 好人榜."""
    await show_roll(update, context, press.month)


async def show_roll(update: Update, context: BotContext, month: str | None) -> None:
    async with context.transaction(read_only=True) as session:
        roll = await service.honor_roll(session, month)
    if roll.month is None:
        await reply(update, texts.HONORS_EMPTY)
        return
    for view in views.honors_views(roll):
        await send_view(update, view)


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        CommandHandler("publishhonors", publish_honors),
        CommandHandler("honors", honors_command),
        HonorsButton.handler(honors_pressed),
    ]
