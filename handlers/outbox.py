"""The outbox's Telegram face: /outbox for staff, and the start-up hook that runs the bot's one sender.

The sender (``bot.outbox.telegram.build_sender``) sends owed messages first and broadcast
deliveries after them, at one pace; it runs as a task of the Application and stops with it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.app import BotApplication, BotContext
from bot.broadcast_delivery import Send
from bot.outbox import service, texts
from bot.outbox.engine import SendPart
from bot.outbox.telegram import build_sender
from bot.sending import Sender
from bot.services import personal_data
from handlers.base import Audience, Command, campaign_staff_only, escape, reply
from handlers.broadcasts import telegram_send

log = logging.getLogger(__name__)

COMMANDS = [Command("outbox", texts.COMMAND_DESCRIPTION, Audience.STAFF)]
SENDER = "sender"  # bot_data.resources key of the running sender


def make_sender(
    application: BotApplication, *, send: SendPart | None = None, broadcast_send: Send | None = None
) -> Sender:
    """The bot's one sender; ``send`` and ``broadcast_send`` replace the PTB adapters (tests)."""
    data = application.bot_data
    return build_sender(
        data.sessions,
        data.settings,
        application.bot,
        broadcast_send or telegram_send(application.bot),
        clock=data.clock,
        send=send,
    )


async def start_sender(application: BotApplication) -> None:
    """Start-up hook: the sender runs as a task of the running Application and stops with it."""
    sender = make_sender(application)
    application.bot_data.resources[SENDER] = sender
    if application.job_queue is None:
        log.warning("no job queue: owed messages and broadcasts will not be sent by this process")
        return

    async def launch(context: BotContext) -> None:
        # Created once the Application runs, so PTB awaits it at stop; it ends when running ends.
        if application.running:  # a very short-lived Application may already be stopping
            application.create_task(sender.run(lambda: not application.running), name="sender")

    application.job_queue.run_once(launch, when=0, name="sender-start")


# ---------------------------------------------------------------- /outbox
def age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 60:
        return texts.SECONDS.format(n=seconds)
    if seconds < 3600:
        return texts.MINUTES.format(n=seconds // 60)
    if seconds < 86400:
        return texts.HOURS.format(h=seconds // 3600, m=seconds % 3600 // 60)
    return texts.DAYS.format(d=seconds // 86400, h=seconds % 86400 // 3600)


def stats_view(stats: service.OutboxStats) -> str:
    if not stats.by_kind:
        return texts.EMPTY
    lines = [texts.HEADER]
    for kind, counts in sorted(stats.by_kind.items()):
        lines.append(texts.ROW.format(kind=escape(kind), **vars(counts)))
    total = stats.total
    lines.append(texts.TOTAL.format(**vars(total)))
    if stats.oldest_pending_age is None:
        lines.append(texts.NOTHING_WAITING)
    else:
        lines.append(texts.OLDEST.format(age=age_text(stats.oldest_pending_age)))
    if total.failed:
        lines.append(texts.FAILED_HINT)
    return "\n".join(lines)


@campaign_staff_only
async def show_outbox(update: Update, context: BotContext) -> None:
    """/outbox: pending, retrying, failed and unreachable counts by kind; the oldest pending's age."""
    async with context.transaction() as session:
        stats = await service.stats(session, context.clock.now())
    await reply(update, stats_view(stats))


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("outbox", show_outbox))
    application.bot_data.startup_hooks.append(start_sender)


personal_data.register("outbox", service.export_user, service.erase_user)
