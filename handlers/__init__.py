"""Thin Telegram adapters. ``register_all`` wires every feature; order matters (see comments)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import ApplicationHandlerStop, ConversationHandler, TypeHandler

from bot import texts
from bot.app import BotApplication, BotContext
from bot.flood import FloodVerdict
from handlers import broadcasts, common, convention, errors, nominations, outbox, staff, tickets, volunteers
from handlers.base import Audience, Command

log = logging.getLogger(__name__)

# Feature modules, each with `register(application)` and `COMMANDS`. Add a new feature here.
FEATURES: list[Any] = [
    common,
    convention,
    nominations,
    tickets,
    volunteers,
    broadcasts,
    outbox,
    staff,
]

FLOOD_GROUP = -10  # runs before everything: drops floods
ESCAPE_GROUP = -1  # then: commands and main-menu buttons leave unfinished conversations
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


MENU_TEXTS = frozenset(label for row in texts.MENU_ROWS for label in row)
STAYING_COMMANDS = frozenset({"cancel"})  # reaches the conversation's own /cancel fallback


async def leave_conversations(update: Update, context: BotContext) -> None:
    """Commands, main-menu buttons and other features' buttons leave an unfinished conversation.

    Residents (often older) press 投诉举报 in the middle of another flow and expect it to open, not to
    be read as an answer. Ending the conversation here, before the feature group, lets the update
    reach its own feature like any other. Drafts in user_data stay; the feature starts afresh.
    """
    if update.callback_query is not None:
        leaving = _foreign_button
    elif _is_command_or_menu(update):
        leaving = _always
    else:
        return
    for handler in context.application.handlers.get(FEATURE_GROUP, []):
        if isinstance(handler, ConversationHandler):
            key = handler._get_key(update)
            if key in handler._conversations and leaving(handler, update):
                # PTB has no public "end this conversation"; _update_state(END) is what returning END
                # from a step does, and it keeps persistence informed (the states dict tracks changes).
                handler._update_state(ConversationHandler.END, key)


def _is_command_or_menu(update: Update) -> bool:
    message = update.effective_message
    if message is None or not message.text:
        return False
    text = message.text.strip()
    if text.startswith("/"):
        return text[1:].split(maxsplit=1)[0].split("@")[0] not in STAYING_COMMANDS
    return text in MENU_TEXTS


def _always(handler: ConversationHandler[Any], update: Update) -> bool:
    return True


def _foreign_button(handler: ConversationHandler[Any], update: Update) -> bool:
    """A button the conversation has no use for in its current state belongs to another feature."""
    return not handler.check_update(update)


def register_all(application: BotApplication) -> None:
    application.add_handler(TypeHandler(Update, flood_guard), group=FLOOD_GROUP)
    application.add_handler(TypeHandler(Update, leave_conversations), group=ESCAPE_GROUP)
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
