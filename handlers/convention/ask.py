"""问公约: a resident asks in their own words and gets the article that answers it.

Conversation, persistent as "convention_ask" (handlers.kit.conversation)::

    /ask | 问公约 ──► ASKING ──text──► answer ──► END
                        │  sticker/photo → re-ask (stay)
                        │  empty, too long, not Chinese → say why (stay)
                        └─ /cancel → END

``/ask TEXT`` answers at once without entering the conversation. A main-menu button, a command or
another feature's button leaves the conversation before it sees the update.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot.app import BotContext
from bot.services.convention import QuestionRefused, check_question, find_answer, has_chinese
from handlers.convention import texts, views
from handlers.convention.browse import article_or_hint
from handlers.convention.callbacks import AskButton
from handlers.convention.resources import convention_of, search_index
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, conversation, menu_button, reask
from handlers.kit.errors import show_error
from handlers.kit.replies import reply, send_view

ASKING = 0


async def ask_command(update: Update, context: BotContext) -> int:
    """/ask TEXT answers at once; a bare /ask asks for the question."""
    message = update.effective_message
    assert message is not None
    question = (message.text or "").partition(" ")[2].strip()
    if not question:
        await reply(update, texts.ASK_PROMPT)
        return ASKING
    return await answer(update, context, question)


async def ask_pressed(update: Update, context: BotContext, press: AskButton) -> int:
    """问公约 (inline button): ask for the question."""
    return await ask_typed(update, context)


async def ask_typed(update: Update, context: BotContext) -> int:
    """问公约 (typed, or the reply-keyboard button): ask for the question."""
    await reply(update, texts.ASK_PROMPT)
    return ASKING


async def receive_question(update: Update, context: BotContext) -> int:
    """ASKING: the question arrives as text."""
    message = update.effective_message
    assert message is not None
    return await answer(update, context, message.text or "")


async def answer(update: Update, context: BotContext, text: str) -> int:
    """An article number shows that article; other questions are searched. Unusable input keeps asking."""
    try:
        question = check_question(text)
    except QuestionRefused as refusal:
        await show_error(update, context, refusal)
        return ASKING
    convention = convention_of(context)
    view = article_or_hint(convention, question)
    if view is not None:
        await send_view(update, view)
        return END
    if not has_chinese(question):
        await send_view(update, views.not_chinese_view(convention))
        return ASKING
    found = find_answer(await search_index(context), question)
    await send_view(update, views.answer_view(found) if found else views.no_answer_view(convention, question))
    return END


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "convention_ask",
            entry_points=[
                CommandHandler("ask", ask_command),
                AskButton.handler(ask_pressed),
                MessageHandler(menu_button(texts.ASK_BUTTON), ask_typed),
            ],
            states={
                ASKING: [
                    MessageHandler(ANSWER_TEXT, receive_question),
                    MessageHandler(NOT_TEXT, reask(texts.ASK_REPROMPT)),
                ],
            },
        )
    ]
