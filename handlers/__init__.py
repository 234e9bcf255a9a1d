"""The one place that wires the bot: the features' manifests, in order, and everything that reads them.

Adding a feature: its package ``handlers/<feature>/`` defines ``FEATURE`` (``handlers.kit.feature``);
add one line to ``FEATURES``. /help and setMyCommands, /mydata and /forget, the CLI, the report and
the bench runner all read this list; nothing registers itself on import.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.app import BotApplication, BotContext
from bot.flood import FloodVerdict
from bot.services.personal_data import PersonalData
from bot.services.reports.core import SectionSpec
from handlers import (
    broadcasts,
    common,
    convention,
    inspections,
    nominations,
    outbox,
    staff,
    tickets,
    volunteers,
)
from handlers.kit import texts as kit_texts
from handlers.kit.callbacks import Button, check_distinct
from handlers.kit.conversation import leave_conversations
from handlers.kit.errors import install_error_texts
from handlers.kit.feature import Command, Feature, ForgetHook
from handlers.kit.guards import Audience
from handlers.kit.intake import Intake

log = logging.getLogger(__name__)

# Order matters: handlers of earlier features are tried first within the feature group.
FEATURES: tuple[Feature, ...] = (
    common.FEATURE,
    convention.FEATURE,
    nominations.FEATURE,
    tickets.FEATURE,
    volunteers.FEATURE,
    broadcasts.FEATURE,
    inspections.FEATURE,
    outbox.FEATURE,
    staff.FEATURE,
)

# Benchmarks of the core rather than of one feature (name → "module:function").
CORE_BENCHMARKS = {
    "bot_throughput": "bench.bot_throughput:bench_bot_throughput",
    "availability.burst_neighbour": "bench.availability:burst_neighbour",
    "availability.sqlite_locked_reads": "bench.availability:sqlite_locked_reads",
    "availability.certificate_neighbour": "bench.availability:certificate_neighbour",
}

FLOOD_GROUP = -10  # runs before everything: drops floods
INTAKE_GROUP = -7  # then: text hygiene, edits, and what is answered in groups (handlers.kit.intake)
ESCAPE_GROUP = -1  # then: commands and main-menu buttons leave unfinished conversations
FEATURE_GROUP = 0  # commands, conversations, buttons, then the fallbacks (first match wins)


def command_catalogue() -> list[Command]:
    return [command for feature in FEATURES for command in feature.commands]


def intake() -> Intake:
    """The first stop of every update, told the commands of every manifest and which are personal."""
    catalogue = command_catalogue()
    return Intake(commands=[c.name for c in catalogue], personal=[c.name for c in catalogue if c.private])


def button_kinds() -> list[type[Button]]:
    return [kind for feature in FEATURES for kind in feature.buttons]


def staff_button_prefixes() -> set[str]:
    """Callback-data prefixes of the staff button kinds."""
    return {kind.prefix for kind in button_kinds() if kind.staff}


def personal_data_sections() -> list[PersonalData]:
    return [feature.personal_data for feature in FEATURES if feature.personal_data is not None]


def forget_hooks() -> list[ForgetHook]:
    return [feature.on_forget for feature in FEATURES if feature.on_forget is not None]


def report_sections() -> list[SectionSpec]:
    return [section for feature in FEATURES for section in feature.report_sections]


def benchmarks() -> dict[str, str]:
    found = dict(CORE_BENCHMARKS)
    for feature in FEATURES:
        found.update(feature.benchmarks)
    return found


def error_texts() -> dict[str, str]:
    return {code: text for feature in FEATURES for code, text in feature.errors.items()}


def add_cli_commands(subparsers: Any) -> None:
    for feature in FEATURES:
        if feature.cli is not None:
            feature.cli(subparsers)


async def flood_guard(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        return
    verdict = context.bot_data.flood.check(user.id)
    if verdict is FloodVerdict.ALLOW:
        return
    chat = update.effective_chat
    if verdict is FloodVerdict.NOTIFY and chat is not None and chat.type == ChatType.PRIVATE:
        await context.bot.send_message(chat.id, kit_texts.FLOOD_NOTICE)  # never to a whole group
    log.info("flood control dropped an update from user %s", user.id)
    raise ApplicationHandlerStop


def register_all(application: BotApplication) -> None:
    check_distinct(button_kinds())  # two kinds matching the same data would steal each other's presses
    install_error_texts(application, error_texts())
    application.add_handler(TypeHandler(Update, flood_guard), group=FLOOD_GROUP)
    application.add_handler(TypeHandler(Update, intake()), group=INTAKE_GROUP)
    application.add_handler(TypeHandler(Update, leave_conversations), group=ESCAPE_GROUP)
    for feature in FEATURES:
        feature.install(application)
    common.register_fallbacks(application)  # last in its group: catches only what nothing else took
    application.add_error_handler(common.on_error)


async def publish_commands(application: BotApplication) -> None:
    """setMyCommands: residents get resident commands; admins from ADMIN_IDS get theirs too.

    Staff granted later get their menu when they are granted (see the staff feature).
    """
    from bot.models import Role
    from bot.services.users import Actor

    catalogue = command_catalogue()
    residents = [BotCommand(c.name, c.description) for c in catalogue if c.audience is Audience.RESIDENT]
    await application.bot.set_my_commands(residents, scope=BotCommandScopeDefault())
    for admin_id in application.bot_data.settings.admin_ids:
        await common.publish_commands_for_chat(application, admin_id, Actor(admin_id, Role.ADMIN))
