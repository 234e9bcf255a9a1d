"""/start (the greeting and the main menu) and /help (the commands this person may use).

/start is the busiest update and needs nothing from the database to answer: the person's row is
written behind, in one batch a second, from the sighting it leaves (``bot.sightings``).
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.constants import ChatType

from bot.app import BotContext
from bot.services.users import Sighting
from handlers.common import texts, views
from handlers.common.commands import catalogue, commands_for
from handlers.kit.intake import private_chat_keyboard
from handlers.kit.replies import main_menu, reply


async def start(update: Update, context: BotContext) -> None:
    """Greet the person and show the main menu; in a group, one line and the way to the private chat.

    A deep link from a group ("/start mydata", see ``handlers.kit.intake``) adds which command to send.
    """
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if chat.type != ChatType.PRIVATE:
        await reply(
            update, texts.GROUP_START, reply_markup=private_chat_keyboard(context.bot.username, "start")
        )
        return
    context.bot_data.sightings.saw(Sighting(user.id, user.full_name, user.username, context.clock.now()))
    asked = context.args[0] if context.args and context.args[0] in personal_commands() else None
    await reply(update, views.welcome_text(user.first_name, asked), reply_markup=main_menu())


@functools.cache
def personal_commands() -> frozenset[str]:
    """The commands a group's deep link may name (the manifests do not change while the bot runs)."""
    return frozenset(c.name for c in catalogue() if c.private)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands this person's role may use (and, in the console, how to type buttons)."""
    actor = await context.actor(update)
    text = views.help_text(commands_for(actor, catalogue()), console=context.bot_data.console)
    await reply(update, text, reply_markup=main_menu())
