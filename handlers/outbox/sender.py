"""The bot's one sender, started with the Application: owed messages first, then broadcast deliveries.

The sender (``bot.outbox.telegram.build_sender``) sends at one pace shared by every process; it
runs as a task of the Application and stops with it.
"""

from __future__ import annotations

import logging

from bot.app import BotApplication, BotContext
from bot.broadcast_delivery import Send
from bot.outbox.engine import SendPart
from bot.outbox.telegram import build_sender
from bot.sending import SENDER_RESOURCE, Sender
from handlers.broadcasts.delivery import telegram_send

log = logging.getLogger(__name__)


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
    application.bot_data.resources[SENDER_RESOURCE] = sender
    if application.job_queue is None:
        log.warning("no job queue: owed messages and broadcasts will not be sent by this process")
        return

    async def launch(context: BotContext) -> None:
        # Created once the Application runs, so PTB awaits it at stop; it ends when running ends.
        if application.running:  # a very short-lived Application may already be stopping
            application.create_task(sender.run(lambda: not application.running), name="sender")

    application.job_queue.run_once(launch, when=0, name="sender-start")
