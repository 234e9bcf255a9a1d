"""/outbox for campaign staff: what is still owed to people, by kind."""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.outbox import service
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import reply
from handlers.outbox import views


@campaign_staff_only
async def show_outbox(update: Update, context: BotContext) -> None:
    """/outbox: pending, retrying, failed and unreachable counts by kind; the oldest pending's age."""
    async with context.transaction(read_only=True) as session:
        stats = await service.stats(session, context.clock.now())
    await reply(update, views.stats_view(stats))
