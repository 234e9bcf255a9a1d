"""Campaign broadcasts: staff send notices to subscribers, volunteers, a district, staff or a department,
now or on a schedule.

This module is the feature's manifest; the pieces live beside it: ``compose`` (/broadcast, a
conversation), ``manage`` (/broadcasts), ``delivery`` (PTB calls for the sender's broadcast source,
the scheduled task), ``views``, ``callbacks``, ``texts``. The rules are in ``bot.services.broadcasts``;
sending is the bot's one sender's (``handlers.outbox``), at one pace with every owed message.
"""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.broadcast_delivery import Send
from bot.sending import Sender
from bot.services import broadcasts as service
from bot.services.personal_data import PersonalData
from handlers.broadcasts import compose, manage, report, texts
from handlers.broadcasts.callbacks import BUTTONS, ManageButton
from handlers.broadcasts.delivery import fire_task, telegram_send
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            *compose.handlers(),
            CommandHandler("broadcasts", manage.list_command),
            ManageButton.handler(manage.manage_pressed),
        ]
    )


def make_sender(application: BotApplication, send: Send | None = None) -> Sender:
    """The bot's one sender (``handlers.outbox``), with ``send`` in place of the broadcast adapter (tests)."""
    from handlers.outbox import make_sender as one_sender  # handlers.outbox imports this package

    return one_sender(application, broadcast_send=send)


FEATURE = Feature(
    name="broadcasts",
    register=register,
    commands=[
        Command(name, texts.COMMANDS[name], Audience.CAMPAIGN_STAFF) for name in ("broadcast", "broadcasts")
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    personal_data=PersonalData("broadcasts", service.export_user, service.erase_user),
    tasks={service.TASK_KIND: fire_task},
    report_sections=report.SECTIONS,
    benchmarks={
        "broadcasts": "bench.broadcasts:run",
        "broadcasts.materialise": "bench.broadcasts:run_materialise",
    },
)

__all__ = ["FEATURE", "make_sender", "telegram_send"]
