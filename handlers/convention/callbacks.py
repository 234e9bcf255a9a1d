"""The convention's buttons (see handlers/kit/callbacks.py). None of them is a staff button."""

from __future__ import annotations

from typing import Annotated

from handlers.kit.callbacks import Between, Button, Token

MAX_ARTICLES = 999  # more than any city's convention; a number beyond the file's size expires politely
MAX_PAGES = 100
QUIZ_TOKEN_LENGTH = 8  # secrets.token_hex(4)
QUIZ_MAX_QUESTIONS = 20
OPTIONS = 4  # A–D


class PageButton(Button, prefix="conv:page"):
    """A page of the article list."""

    page: Annotated[int, Between(1, MAX_PAGES)]


class ArticleButton(Button, prefix="conv:art"):
    """One article, in full."""

    number: Annotated[int, Between(1, MAX_ARTICLES)]


class AskButton(Button, prefix="conv:ask"):
    """问公约: asks for a question."""


class QuizButton(Button, prefix="conv:quiz"):
    """📝 小测验 / 再测一次: starts a quiz."""


class DailyButton(Button, prefix="conv:daily"):
    """📅 每日一条: subscribes to the daily article."""


class QuizAnswerButton(Button, prefix="cq"):
    """An option of a quiz question: which quiz, which question, which of the options as shown."""

    token: Annotated[str, Token(QUIZ_TOKEN_LENGTH, "0-9a-f")]
    index: Annotated[int, Between(0, QUIZ_MAX_QUESTIONS - 1)]
    option: Annotated[int, Between(0, OPTIONS - 1)]


BUTTONS: tuple[type[Button], ...] = (
    PageButton,
    ArticleButton,
    AskButton,
    QuizButton,
    DailyButton,
    QuizAnswerButton,
)
