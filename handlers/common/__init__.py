"""What every resident has: /start, /help, /cancel, /privacy, /mydata, /forget, /subscribe and
/unsubscribe, the fallbacks for what no feature took, and the one error handler.

This module is the feature's manifest; the pieces live beside it: ``welcome`` (/start, /help),
``privacy`` (/privacy, /mydata, /forget), ``subscriptions``, ``fallbacks``, ``errors``, ``commands``
(who sees which commands), ``views``, ``callbacks``, ``texts``. Its rules are the core services
(``bot.services.users``, ``bot.services.personal_data``).
"""

from __future__ import annotations

from telegram.ext import CommandHandler, MessageHandler

from bot.app import BotApplication
from handlers.common import fallbacks, privacy, subscriptions, texts, welcome
from handlers.common.callbacks import BUTTONS, ForgetButton, SubscriptionButton
from handlers.common.commands import publish_commands_for_chat
from handlers.common.errors import on_error
from handlers.kit import texts as kit_texts
from handlers.kit.conversation import menu_button
from handlers.kit.feature import Command, Feature


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            CommandHandler("start", welcome.start),
            CommandHandler("help", welcome.help_command),
            CommandHandler("privacy", privacy.privacy),
            CommandHandler("mydata", privacy.mydata),
            CommandHandler("forget", privacy.forget),
            ForgetButton.handler(privacy.forget_pressed),
            CommandHandler("subscribe", subscriptions.subscribe_menu),
            MessageHandler(menu_button(kit_texts.MENU_SUBSCRIBE), subscriptions.subscribe_menu),
            CommandHandler("unsubscribe", subscriptions.unsubscribe_menu),
            SubscriptionButton.handler(subscriptions.topic_pressed),
        ]
    )


def register_fallbacks(application: BotApplication) -> None:
    """Registered after every feature, so they only catch what nothing else handled."""
    application.add_handlers(fallbacks.handlers())


FEATURE = Feature(
    name="common",
    register=register,
    commands=[
        Command(name, texts.COMMANDS[name], private=name in ("mydata", "forget"))
        for name in ("start", "help", "cancel", "subscribe", "unsubscribe", "privacy", "mydata", "forget")
    ],
    buttons=BUTTONS,
)

__all__ = ["FEATURE", "on_error", "publish_commands_for_chat", "register_fallbacks"]
