"""Which commands a person sees: /help's list and their Telegram command menu (setMyCommands)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.app import BotApplication
from bot.services.users import Actor
from handlers.kit.feature import Command


def commands_for(actor: Actor, catalogue: Iterable[Command]) -> list[Command]:
    return [c for c in catalogue if c.available_to(actor)]


def catalogue() -> list[Command]:
    """Every feature's commands, from the manifests."""
    import handlers  # the manifests (this feature's is one of them)

    return handlers.command_catalogue()


async def publish_commands_for_chat(application: BotApplication, chat_id: int, actor: Actor) -> None:
    """Give one person's chat the command menu of their role (setMyCommands, chat scope)."""
    commands = [BotCommand(c.name, c.description) for c in commands_for(actor, catalogue())]
    # A staff member who never opened the bot has no chat yet: nothing to do then.
    with contextlib.suppress(TelegramError):
        await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
