"""The outbox's Telegram face: the bot's one sender, started with the Application, and /outbox.

Messages owed to people are written by the features with ``bot.outbox.notify`` inside the
transaction of the change; see docs/outbox.md. The supervision report's section on how they
travelled is ``report``.
"""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.outbox import service
from bot.services.personal_data import PersonalData
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience
from handlers.outbox import report, status, texts
from handlers.outbox.sender import make_sender, start_sender


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("outbox", status.show_outbox))


FEATURE = Feature(
    name="outbox",
    register=register,
    commands=[Command("outbox", texts.COMMAND_DESCRIPTION, Audience.CAMPAIGN_STAFF)],
    personal_data=PersonalData("outbox", service.export_user, service.erase_user),
    startup=[start_sender],
    report_sections=report.SECTIONS,
    benchmarks={"outbox": "bench.outbox:run"},
)

__all__ = ["FEATURE", "make_sender"]
