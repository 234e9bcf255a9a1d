"""The 好人榜: /publishhonors puts the approved nominees on this month's roll; /honors shows a month.

/publishhonors shows who would go on the roll and how many subscribers would be told, and publishes
on 确认发布. Publishing tells each nominator (through the outbox, in the publication's transaction)
and queues the announcement to 好人榜 subscribers through the broadcast engine (rate-limited,
crash-safe, listed in /broadcasts, skipping those who opted out or blocked the bot) — when there is
anyone to tell: no subscribers, no notice. Opening a voting round is announced to them the same way.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.app import BotContext
from bot.models import AudienceKind, ScheduleKind, Topic
from bot.services import broadcasts
from bot.services import nominations as service
from bot.services.users import Actor
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import edit_or_reply, reply, send_view
from handlers.nominations import owed, staff_views, texts, views
from handlers.nominations.callbacks import HonorsButton, PublishHonorsButton


async def announce_to_subscribers(session: AsyncSession, actor: Actor, text: str) -> int:
    """A notice to 好人榜 subscribers, sent now; how many it goes to (none, and no notice, without any)."""
    if not await broadcasts.audience_size(session, AudienceKind.TOPIC, Topic.HONORS.value):
        return 0
    notice = await broadcasts.create(
        session,
        actor,
        text=text,
        photo_file_id=None,
        audience_kind=AudienceKind.TOPIC,
        audience_param=Topic.HONORS.value,
        schedule=broadcasts.Schedule(ScheduleKind.NOW),
    )
    return await broadcasts.pending_count_for(session, notice.id)


@campaign_staff_only
async def publish_honors(update: Update, context: BotContext) -> None:
    """/publishhonors: who would go on this month's 好人榜 and who would be told; asks to confirm."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        publication = await service.publishable(
            session, actor, now=context.clock.now(), tz=context.settings.tz
        )
        subscribers = await broadcasts.audience_size(session, AudienceKind.TOPIC, Topic.HONORS.value)
    await send_view(update, staff_views.publish_question(publication, subscribers))


@campaign_staff_only
async def publish_pressed(update: Update, context: BotContext, press: PublishHonorsButton) -> None:
    """确认发布: approved nominees onto the roll; nominators and subscribers told. 取消: nothing."""
    if press.answer == "no":
        await edit_or_reply(update, texts.PUBLISH_CANCELLED)
        return
    actor = await context.actor(update)
    async with context.transaction() as session:
        publication = await service.publish(session, actor, now=context.clock.now(), tz=context.settings.tz)
        sent = await announce_to_subscribers(session, actor, views.announcement_text(publication))
        for change in publication.changes:
            await owed.tell_nominators(session, change.notices, views.status_notice, kind=owed.Owed.PUBLISHED)
    await edit_or_reply(update, staff_views.published_text(publication, sent))


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
        PublishHonorsButton.handler(publish_pressed),
        CommandHandler("honors", honors_command),
        HonorsButton.handler(honors_pressed),
    ]
