"""What nothing else took: /cancel outside a conversation, unknown commands, stray text, stale buttons,
stickers and photos. Registered after every feature (``register_fallbacks``), so they only catch
what no feature handled; each answer points back to the main menu.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from handlers.common import texts, views
from handlers.kit import texts as kit_texts
from handlers.kit.replies import answer_quietly, main_menu, reply


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel outside any conversation (conversations have their own /cancel fallback)."""
    await reply(update, texts.NOTHING_TO_CANCEL, reply_markup=main_menu())


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "?"
    await reply(update, views.unknown_command_text(command), reply_markup=main_menu())


async def stray_text(update: Update, context: BotContext) -> None:
    await reply(update, texts.UNKNOWN_TEXT, reply_markup=main_menu())


async def stale_button(update: Update, context: BotContext) -> None:
    await answer_quietly(update, kit_texts.BUTTON_EXPIRED, alert=True)


async def non_text(update: Update, context: BotContext) -> None:
    if update.effective_message is None:
        return  # edited messages, channel posts and the like need no answer
    await reply(update, texts.NON_TEXT_NOT_EXPECTED, reply_markup=main_menu())


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """In this order: the first that matches answers."""
    return [
        CommandHandler("cancel", cancel),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, stray_text),
        CallbackQueryHandler(stale_button),
        MessageHandler(filters.ALL, non_text),
    ]
