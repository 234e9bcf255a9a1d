"""Thin Telegram adapters. ``register_all`` wires every feature; order matters (see comments)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import texts
from bot.app import BotApplication, BotContext
from bot.flood import FloodVerdict
from handlers import broadcasts, common, convention, errors, nominations, staff, tickets, volunteers
from handlers.base import Audience, Command

log = logging.getLogger(__name__)

# Feature modules, each with `register(application)` and `COMMANDS`. Add a new feature here.
FEATURES: list[Any] = [
    common,
    tickets,
    volunteers,
    convention,
    nominations,
    broadcasts,
    staff,
]

FLOOD_GROUP = -10  # runs before everything: drops floods
FEATURE_GROUP = 0  # commands, conversations, buttons, then the fallbacks (first match wins)


def command_catalogue() -> list[Command]:
    return [command for module in FEATURES for command in module.COMMANDS]


async def flood_guard(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        return
    verdict = context.bot_data.flood.check(user.id)
    if verdict is FloodVerdict.ALLOW:
        return
    if verdict is FloodVerdict.NOTIFY and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, texts.FLOOD_NOTICE)
    log.info("flood control dropped an update from user %s", user.id)
    raise ApplicationHandlerStop


def register_all(application: BotApplication) -> None:
    application.add_handler(TypeHandler(Update, flood_guard), group=FLOOD_GROUP)
    for module in FEATURES:
        module.register(application)
    common.register_fallbacks(application)  # last in its group: catches only what nothing else took
    application.add_error_handler(errors.on_error)


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
