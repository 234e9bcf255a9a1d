"""The civic convention (《市民文明公约20条》): browse the articles, ask about them, take a quiz, one a day.

This module is the feature's manifest; the pieces live beside it: ``browse`` (the list and the
articles), ``ask`` (问公约, a conversation), ``quiz``, ``daily`` (start-up and the daily task),
``views`` (text and keyboards), ``callbacks`` (button kinds), ``texts`` (wording), ``cli``.
The rules and the content are in ``bot.services.convention``.
"""

from __future__ import annotations

from telegram.ext import CommandHandler, MessageHandler

from bot.app import BotApplication
from bot.services import convention as service
from bot.services.personal_data import PersonalData
from handlers.convention import ask, browse, cli, daily, quiz, texts
from handlers.convention.callbacks import (
    BUTTONS,
    ArticleButton,
    DailyButton,
    PageButton,
    QuizAnswerButton,
    QuizButton,
)
from handlers.kit import texts as kit_texts
from handlers.kit.conversation import menu_button
from handlers.kit.feature import Command, Feature


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            *ask.handlers(),  # first: while a question is awaited, its state sees the text
            CommandHandler("convention", browse.convention_command),
            MessageHandler(menu_button(kit_texts.MENU_CONVENTION), browse.show_list),
            PageButton.handler(browse.page_pressed),
            ArticleButton.handler(browse.article_pressed),
            DailyButton.handler(browse.daily_pressed),
            CommandHandler("quiz", quiz.quiz_command),
            QuizButton.handler(quiz.quiz_pressed),
            QuizAnswerButton.handler(quiz.answer_pressed),
        ]
    )


FEATURE = Feature(
    name="convention",
    register=register,
    commands=[
        Command(name, texts.COMMANDS[name], private=name == "quiz") for name in ("convention", "ask", "quiz")
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    personal_data=PersonalData("convention", service.export_user_data, service.erase_user_data),
    tasks={service.DAILY_TASK_KIND: daily.daily_task},
    startup=[daily.on_startup],
    cli=cli.add_commands,
    benchmarks={"convention": "bench.convention:run", "convention.daily": "bench.convention:daily"},
)
