"""The quiz: five questions on five articles, options shuffled, explained as they are answered.

Progress lives in ``user_data`` (a ``QuizState`` draft: question ids, option orders, answers), so a
second press on an answered question changes nothing, and a new quiz makes the old one's buttons dead.
"""

from __future__ import annotations

import random
import secrets
from typing import TypedDict

from telegram import Update

from bot.app import BotContext
from bot.services.convention import OPTION_LETTERS, pick_quiz, record_quiz_score
from handlers.convention import texts, views
from handlers.convention.callbacks import QuizAnswerButton, QuizButton
from handlers.convention.resources import convention_of
from handlers.kit.conversation import Draft
from handlers.kit.replies import View, answer_quietly, edit_or_reply, reply, send_view

QUIZ_KEY = "convention_quiz"


class QuizState(TypedDict):
    token: str  # this quiz's buttons carry it; an older quiz's buttons do not match
    ids: list[str]  # question ids, in the order asked
    orders: list[list[int]]  # per question: the original option index shown as A, B, C, D
    answers: list[int]  # the option (as shown) chosen for each answered question
    score: int


def _new_quiz() -> QuizState:
    return {"token": "", "ids": [], "orders": [], "answers": [], "score": 0}


QUIZ = Draft(QUIZ_KEY, _new_quiz)


async def quiz_command(update: Update, context: BotContext) -> None:
    """/quiz: five questions on five articles; a new quiz replaces an unfinished one."""
    convention = convention_of(context)
    rng = random.Random()
    questions = pick_quiz(convention, rng)
    state = QUIZ.start(context)
    state["token"] = secrets.token_hex(4)
    state["ids"] = [q.id for q in questions]
    # Options are shuffled per quiz, so the right answer is not always the same letter.
    state["orders"] = [rng.sample(range(len(OPTION_LETTERS)), k=len(OPTION_LETTERS)) for _ in questions]
    await send_view(update, _question(context, state, 0))


async def quiz_pressed(update: Update, context: BotContext, press: QuizButton) -> None:
    """📝 小测验 or 再测一次."""
    await quiz_command(update, context)


async def answer_pressed(update: Update, context: BotContext, press: QuizAnswerButton) -> None:
    """Only the current question of the current quiz counts; anything else (a second press, an old
    quiz's button) changes nothing and says why."""
    user = update.effective_user
    assert user is not None
    state = QUIZ.peek(context)
    if state is None or state.get("token") != press.token or press.index > len(state["answers"]):
        await answer_quietly(update, texts.QUIZ_OVER, alert=True)
        return
    if press.index < len(state["answers"]):
        await answer_quietly(update, texts.QUIZ_ALREADY)
        return
    convention = convention_of(context)
    question = convention.question(state["ids"][press.index])
    if question is None or not 0 <= press.option < len(question.options) or "orders" not in state:
        QUIZ.drop(context)
        await answer_quietly(update, texts.QUIZ_BANK_CHANGED, alert=True)
        return
    order = state["orders"][press.index]
    state["answers"].append(press.option)
    state["score"] += int(order[press.option] == question.answer)
    asked = _question(context, state, press.index).text
    await edit_or_reply(update, views.answered_text(asked, question, order, press.option))
    if len(state["answers"]) < len(state["ids"]):
        if convention.question(state["ids"][len(state["answers"])]) is None:
            QUIZ.drop(context)
            await reply(update, texts.QUIZ_BANK_CHANGED)
            return
        await send_view(update, _question(context, state, len(state["answers"])))
        return
    QUIZ.drop(context)
    async with context.transaction() as session:
        outcome = await record_quiz_score(session, user.id, state["score"], len(state["ids"]))
    await send_view(update, views.quiz_done_view(outcome))


def _question(context: BotContext, state: QuizState, index: int) -> View:
    convention = convention_of(context)
    question = convention.question(state["ids"][index])
    assert question is not None
    return views.question_view(
        question,
        convention,
        token=state["token"],
        index=index,
        total=len(state["ids"]),
        order=state["orders"][index],
    )
