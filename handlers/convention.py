"""The civic convention: browse the 20 articles, ask about them, take a quiz, receive one a day.

The daily article is a broadcast: the scheduled task of each day queues one notice to the 每日公约
topic (``service.create_daily_notice``) and the broadcast engine delivers it, rate-limited and
crash-safe. The task sends nothing itself: a few set-based statements (about 1 s per 50,000 subscribers
on SQLite, 2 s on PostgreSQL), never one Telegram call per subscriber.

Conversation (问公约), persistent as "convention_ask"::

    /ask | 问公约 ──► ASKING ──text──► answer ──► END
                        │  sticker/photo → re-ask (stay)
                        └─ /cancel → END

A main-menu button or another command leaves the conversation before it sees the update
(``handlers.leave_conversations``); buttons of other features pass through to their handlers.

``/ask TEXT`` answers at once without entering the conversation. The quiz keeps its progress in
``user_data`` (question ids and answers), so a second press on an answered question changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import warnings
from datetime import date
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import texts
from bot.app import BotApplication, BotContext
from bot.convention import (
    RESOURCE_KEY,
    Article,
    Convention,
    ConventionIndex,
    ConventionResources,
    QuizQuestion,
    cached_resources,
    load_convention,
)
from bot.convention import cli as convention_cli
from bot.convention.content import OPTION_LETTERS
from bot.convention.search import has_chinese
from bot.database import transaction
from bot.models import ScheduledTask, Topic
from bot.services import convention as service
from bot.services import users
from bot.services.personal_data import PersonalData
from bot.timeutil import utcnow
from handlers.base import Command, answer_quietly, edit_or_reply, escape, inline_keyboard, main_menu, reply
from handlers.kit.feature import Feature

log = logging.getLogger(__name__)

COMMANDS = [Command(name, texts.CONVENTION_COMMANDS[name]) for name in ("convention", "ask", "quiz")]

PAGE_SIZE = 10
QUESTION_LIMIT = 200
EXCERPT_CHARS = 90
STRONG_SCORE = 4.0  # below: "not sure, maybe this"; measured on tests/data/convention_questions.yaml
WEAK_SCORE = 2.5  # below: "nothing matches"; off-topic questions score 0–3
QUIZ_KEY = "convention_quiz"

ASKING = 0


INDEX_KEY = f"{RESOURCE_KEY}:index"


def convention_of(context: BotContext) -> Convention:
    convention: Convention = context.bot_data.resources[RESOURCE_KEY]
    return convention


def convention_of_app(application: BotApplication) -> Convention:
    convention: Convention = application.bot_data.resources[RESOURCE_KEY]
    return convention


async def search_index(context: BotContext) -> ConventionIndex:
    """The search index; built in the background at start-up, awaited here if not ready yet."""
    resources: ConventionResources = await context.bot_data.resources[INDEX_KEY]
    return resources.index


# ---------------------------------------------------------------- start-up
async def on_startup(application: BotApplication) -> None:
    """Load and check the content files, start building the search index, schedule the daily article.

    The files are checked here (a malformed one stops the start with one line); the index needs jieba
    (seconds), so it is built in a thread while the bot already answers everything else.
    """
    data = application.bot_data
    data.resources[RESOURCE_KEY] = load_convention(data.settings.data_dir)
    loop = asyncio.get_running_loop()
    data.resources[INDEX_KEY] = loop.run_in_executor(None, cached_resources, data.settings.data_dir)
    async with transaction(data.sessions) as session:
        await service.schedule_daily_article(
            session, utcnow(), data.settings.daily_article_time, data.settings.tz
        )


# ---------------------------------------------------------------- rendering
def parse_article_number(value: str) -> int | None:
    """'3', '３', '第3条', '三', '第十二条' → the number; anything else → None (range not checked)."""
    text = value.strip().removeprefix("第").removesuffix("条").strip()
    if text.isdecimal() and len(text) <= 4:
        return int(text)
    digits = "零一二三四五六七八九"
    if not text or any(c not in digits + "十两" for c in text):
        return None
    text = text.replace("两", "二")
    if "十" not in text:
        return digits.index(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)


def list_view(convention: Convention, page: int) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-convention.size // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chunk = convention.articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    buttons = [
        (texts.CONVENTION_ARTICLE_BUTTON.format(number=a.number, title=a.title), f"conv:art:{a.number}")
        for a in chunk
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 1:
        nav.append((texts.CONVENTION_PREV_PAGE, f"conv:page:{page - 1}"))
    if page < pages:
        nav.append((texts.CONVENTION_NEXT_PAGE, f"conv:page:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append([(texts.CONVENTION_ASK_BUTTON, "conv:ask"), (texts.CONVENTION_QUIZ_BUTTON, "conv:quiz")])
    rows.append([(texts.CONVENTION_DAILY_BUTTON, "conv:daily")])
    header = texts.CONVENTION_LIST_HEADER.format(title=escape(convention.title), page=page, pages=pages)
    return header, inline_keyboard(rows)


def article_text(article: Article) -> str:
    def bullets(items: tuple[str, ...]) -> str:
        return "\n".join(texts.CONVENTION_BULLET.format(item=escape(i)) for i in items)

    body = texts.CONVENTION_ARTICLE.format(
        number=article.number,
        title=escape(article.title),
        text=escape(article.text),
        explanation=escape(article.explanation),
        do=bullets(article.do),
        dont=bullets(article.dont),
    )
    if article.rule:
        body += texts.CONVENTION_RULE.format(rule=escape(article.rule))
    return body


def article_view(convention: Convention, article: Article) -> tuple[str, InlineKeyboardMarkup]:
    nav = []
    if article.number > 1:
        nav.append((texts.CONVENTION_PREV, f"conv:art:{article.number - 1}"))
    if article.number < convention.size:
        nav.append((texts.CONVENTION_NEXT, f"conv:art:{article.number + 1}"))
    page = (article.number - 1) // PAGE_SIZE + 1
    rows = [nav] if nav else []
    rows.append([(texts.CONVENTION_TO_LIST, f"conv:page:{page}"), (texts.CONVENTION_ASK_BUTTON, "conv:ask")])
    return article_text(article), inline_keyboard(rows)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；！？")
    return text[: cut + 1] if cut > limit // 3 else text[:limit] + "…"


# ---------------------------------------------------------------- browse
async def convention_command(update: Update, context: BotContext) -> None:
    """/convention shows the list; /convention N shows article N (bad numbers get the list and a hint)."""
    convention = convention_of(context)
    value = " ".join(context.args or []).strip()
    if not value:
        await show_list(update, context)
        return
    number = parse_article_number(value)
    article = convention.article(number) if number is not None else None
    if article is None:
        text, markup = list_view(convention, 1)
        hint = texts.CONVENTION_BAD_NUMBER.format(value=escape(value[:20]), count=convention.size)
        await reply(update, hint, reply_markup=markup)
        return
    text, markup = article_view(convention, article)
    await reply(update, text, reply_markup=markup)


async def show_list(update: Update, context: BotContext) -> None:
    """The 文明公约 menu button and /convention: page 1 of the titles."""
    text, markup = list_view(convention_of(context), 1)
    await reply(update, text, reply_markup=markup)


async def browse_button(update: Update, context: BotContext) -> None:
    """conv:page:N and conv:art:N edit the message in place; an old button for a removed article expires."""
    query = update.callback_query
    assert query is not None
    _, action, value = (query.data or "::").split(":", 2)
    convention = convention_of(context)
    if action == "page" and value.isdecimal():
        text, markup = list_view(convention, int(value))
    elif action == "art" and value.isdecimal() and (article := convention.article(int(value))) is not None:
        text, markup = article_view(convention, article)
    else:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    await edit_or_reply(update, text, reply_markup=markup)


async def daily_button(update: Update, context: BotContext) -> None:
    """📅 每日一条: subscribe to the daily article (a second press only says so)."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
        added = await users.subscribe(session, user.id, Topic.DAILY_ARTICLE)
    at = context.settings.daily_article_time.strftime("%H:%M")
    message = texts.CONVENTION_DAILY_SUBSCRIBED if added else texts.CONVENTION_DAILY_ALREADY
    await answer_quietly(update, message.format(time=at), alert=True)


# ---------------------------------------------------------------- ask
async def ask_command(update: Update, context: BotContext) -> int:
    """/ask TEXT answers at once; a bare /ask asks for the question."""
    message = update.effective_message
    assert message is not None
    question = (message.text or "").partition(" ")[2].strip()
    if not question:
        await reply(update, texts.CONVENTION_ASK_PROMPT)
        return ASKING
    return await answer(update, context, question)


async def ask_button(update: Update, context: BotContext) -> int:
    """问公约 (button or typed): ask for the question."""
    await reply(update, texts.CONVENTION_ASK_PROMPT)
    return ASKING


async def receive_question(update: Update, context: BotContext) -> int:
    """ASKING: the question arrives as text."""
    message = update.effective_message
    assert message is not None
    return await answer(update, context, (message.text or "").strip())


async def reask(update: Update, context: BotContext) -> int:
    """ASKING: a sticker, photo or other non-text; ask again."""
    await reply(update, texts.CONVENTION_ASK_REPROMPT)
    return ASKING


async def cancel_ask(update: Update, context: BotContext) -> int:
    """/cancel while asking."""
    await reply(update, texts.CANCELLED, reply_markup=main_menu())
    return ConversationHandler.END


async def answer(update: Update, context: BotContext, question: str) -> int:
    """Answer a question: an article number shows it; otherwise search. Bad input keeps us asking."""
    convention = convention_of(context)
    if not question:
        await reply(update, texts.TEXT_EMPTY)
        return ASKING
    if len(question) > QUESTION_LIMIT:
        await reply(update, texts.CONVENTION_ASK_TOO_LONG.format(length=len(question), limit=QUESTION_LIMIT))
        return ASKING
    number = parse_article_number(question)
    if number is not None:
        article = convention.article(number)
        if article is None:
            text, markup = list_view(convention, 1)
            hint = texts.CONVENTION_BAD_NUMBER.format(value=escape(question), count=convention.size)
            await reply(update, hint, reply_markup=markup)
            return ConversationHandler.END
        text, markup = article_view(convention, article)
        await reply(update, text, reply_markup=markup)
        return ConversationHandler.END
    if not has_chinese(question):
        markup = inline_keyboard([[(texts.CONVENTION_TO_LIST, "conv:page:1")]])
        await reply(
            update, texts.CONVENTION_ASK_NOT_CHINESE.format(count=convention.size), reply_markup=markup
        )
        return ASKING
    index = await search_index(context)
    matches = [m for m in index.search(question, limit=3) if m.score >= WEAK_SCORE]
    if not matches:
        _, markup = list_view(convention, 1)
        await reply(update, texts.CONVENTION_ASK_NONE.format(question=escape(question)), reply_markup=markup)
        return ConversationHandler.END
    best = matches[0]
    template = texts.CONVENTION_ASK_BEST if best.score >= STRONG_SCORE else texts.CONVENTION_ASK_WEAK
    body = template.format(
        number=best.article.number,
        title=escape(best.article.title),
        text=escape(best.article.text),
        excerpt=escape(excerpt(best.article.explanation)),
    )
    if best.article.rule:
        body += texts.CONVENTION_ASK_RULE.format(rule=escape(excerpt(best.article.rule, 120)))
    others = [m for m in matches[1:] if m.score >= best.score / 2]
    if others:
        body += texts.CONVENTION_ASK_ALSO
    rows = [
        [(texts.CONVENTION_ASK_FULL.format(number=best.article.number), f"conv:art:{best.article.number}")]
    ]
    rows += [
        [
            (
                texts.CONVENTION_ARTICLE_BUTTON.format(number=m.article.number, title=m.article.title),
                f"conv:art:{m.article.number}",
            )
        ]
        for m in others
    ]
    rows.append([(texts.CONVENTION_TO_LIST, "conv:page:1"), (texts.CONVENTION_ASK_BUTTON, "conv:ask")])
    await reply(update, body, reply_markup=inline_keyboard(rows))
    return ConversationHandler.END


# ---------------------------------------------------------------- quiz
def question_view(
    question: QuizQuestion, convention: Convention, state: dict[str, Any], index: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Question ``index`` of the quiz, its options in this quiz's shuffled order."""
    article = convention.article(question.article)
    text = texts.CONVENTION_QUIZ_QUESTION.format(
        index=index + 1,
        total=len(state["ids"]),
        article=question.article,
        title=escape(article.title if article else ""),
        question=escape(question.question),
    )
    order = state["orders"][index]
    rows = [
        [
            (
                texts.CONVENTION_QUIZ_OPTION.format(letter=letter, option=question.options[original]),
                f"cq:{state['token']}:{index}:{shown}",
            )
        ]
        for shown, (letter, original) in enumerate(zip(OPTION_LETTERS, order, strict=True))
    ]
    return text, inline_keyboard(rows)


async def quiz_start(update: Update, context: BotContext) -> None:
    """/quiz, 📝 小测验 or 再测一次: five questions on five articles; a new quiz replaces an unfinished one."""
    convention = convention_of(context)
    rng = random.Random()
    questions = service.pick_quiz(convention, rng)
    state: dict[str, Any] = {
        "token": secrets.token_hex(4),
        "ids": [q.id for q in questions],
        # Options are shuffled per quiz, so the right answer is not always the same letter.
        "orders": [rng.sample(range(len(OPTION_LETTERS)), k=len(OPTION_LETTERS)) for _ in questions],
        "answers": [],
        "score": 0,
    }
    assert context.user_data is not None
    context.user_data[QUIZ_KEY] = state
    text, markup = question_view(questions[0], convention, state, 0)
    await reply(update, text, reply_markup=markup)


async def quiz_answer(update: Update, context: BotContext) -> None:
    """cq:TOKEN:INDEX:OPTION. Only the current question of the current quiz counts; anything else
    (a second press, an old quiz's button) changes nothing and says why."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None and context.user_data is not None
    parts = (query.data or "").split(":")
    state = context.user_data.get(QUIZ_KEY)
    if len(parts) != 4 or not (parts[2].isdecimal() and parts[3].isdecimal()):
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    token, index, choice = parts[1], int(parts[2]), int(parts[3])
    if not isinstance(state, dict) or state.get("token") != token or index > len(state["answers"]):
        await answer_quietly(update, texts.CONVENTION_QUIZ_OVER, alert=True)
        return
    if index < len(state["answers"]):
        await answer_quietly(update, texts.CONVENTION_QUIZ_ALREADY)
        return
    convention = convention_of(context)
    question = convention.question(state["ids"][index])
    if question is None or not 0 <= choice < len(question.options) or "orders" not in state:
        context.user_data.pop(QUIZ_KEY, None)
        await answer_quietly(update, texts.CONVENTION_QUIZ_BANK_CHANGED, alert=True)
        return
    order: list[int] = state["orders"][index]
    correct = order[choice] == question.answer
    state["answers"].append(choice)
    state["score"] += int(correct)
    right_shown = order.index(question.answer)
    wrong = texts.CONVENTION_QUIZ_WRONG.format(
        letter=OPTION_LETTERS[right_shown], option=escape(question.options[question.answer])
    )
    question_text, _ = question_view(question, convention, state, index)
    await edit_or_reply(
        update,
        texts.CONVENTION_QUIZ_ANSWERED.format(
            question=question_text,
            letter=OPTION_LETTERS[choice],
            option=escape(question.options[order[choice]]),
            verdict=texts.CONVENTION_QUIZ_RIGHT if correct else wrong,
            explanation=escape(question.explanation),
        ),
    )
    if len(state["answers"]) < len(state["ids"]):
        following = convention.question(state["ids"][len(state["answers"])])
        if following is None:
            context.user_data.pop(QUIZ_KEY, None)
            await reply(update, texts.CONVENTION_QUIZ_BANK_CHANGED)
            return
        text, markup = question_view(following, convention, state, len(state["answers"]))
        await reply(update, text, reply_markup=markup)
        return
    context.user_data.pop(QUIZ_KEY, None)
    async with context.transaction() as session:
        outcome = await service.record_quiz_score(session, user.id, state["score"], len(state["ids"]))
    best = (
        texts.CONVENTION_QUIZ_NEW_BEST.format(attempts=outcome.attempts)
        if outcome.new_best
        else texts.CONVENTION_QUIZ_BEST.format(
            best=outcome.best_score, best_total=outcome.best_total, attempts=outcome.attempts
        )
    )
    await reply(
        update,
        texts.CONVENTION_QUIZ_DONE.format(score=outcome.score, total=outcome.total, best=best),
        reply_markup=inline_keyboard([[(texts.CONVENTION_QUIZ_AGAIN, "conv:quiz")]]),
    )


# ---------------------------------------------------------------- daily article
def daily_text(article: Article, day: date) -> str:
    """The notice of one day (HTML; broadcasts carry no buttons, so the footer names the commands)."""
    header = texts.CONVENTION_DAILY_HEADER.format(date=day.strftime("%m月%d日"))
    return header + article_text(article) + texts.CONVENTION_DAILY_FOOTER


async def run_daily_article(application: BotApplication, task: ScheduledTask) -> service.DailyNotice | None:
    """The task of one day: queue that day's article for the broadcast engine (unless the day is over,
    e.g. the bot was down all day), then schedule the next day. Keys are per date and the loop row
    remembers the last day, so a day is queued once however often this runs."""
    data = application.bot_data
    settings = data.settings
    day = date.fromisoformat(str(task.payload.get("date")))
    notice = None
    try:
        today = utcnow().astimezone(settings.tz).date()
        if today > day:
            log.warning("daily article of %s skipped: it is already %s", day, today)
        else:
            async with transaction(data.sessions) as session:
                notice = await service.create_daily_notice(
                    session, convention_of_app(application), day, daily_text
                )
            log.info("daily article of %s: %s", day, notice or "already queued")
    finally:
        async with transaction(data.sessions) as session:
            await service.schedule_daily_article(
                session, utcnow(), settings.daily_article_time, settings.tz, after=day
            )
    return notice


# ---------------------------------------------------------------- wiring
def register(application: BotApplication) -> None:
    data = application.bot_data
    data.startup_hooks.append(on_startup)

    async def daily_task(task: ScheduledTask) -> None:
        await run_daily_article(application, task)

    data.tasks.register(service.DAILY_TASK_KIND, daily_task)

    menu_texts = filters.Text([label for row in texts.MENU_ROWS for label in row])
    ask_entry = filters.Text([texts.CONVENTION_ASK_BUTTON])
    with warnings.catch_warnings():
        # A CallbackQueryHandler entry point with per_message=False is intended: one question per chat.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler("ask", ask_command),
                CallbackQueryHandler(ask_button, pattern=r"^conv:ask$"),
                MessageHandler(ask_entry, ask_button),
            ],
            states={
                ASKING: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND & ~menu_texts, receive_question),
                    MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, reask),
                ],
            },
            fallbacks=[CommandHandler("cancel", cancel_ask)],
            name="convention_ask",
            persistent=True,
            allow_reentry=True,
        )
    application.add_handlers(
        [
            conversation,
            CommandHandler("convention", convention_command),
            MessageHandler(filters.Text([texts.MENU_CONVENTION]), show_list),
            CallbackQueryHandler(browse_button, pattern=r"^conv:(page|art):"),
            CallbackQueryHandler(daily_button, pattern=r"^conv:daily$"),
            CommandHandler("quiz", quiz_start),
            CallbackQueryHandler(quiz_start, pattern=r"^conv:quiz$"),
            CallbackQueryHandler(quiz_answer, pattern=r"^cq:"),
        ]
    )


FEATURE = Feature(
    "convention",
    register,
    COMMANDS,
    personal_data=PersonalData("convention", service.export_user_data, service.erase_user_data),
    cli=convention_cli.add_commands,
    benchmarks={"convention": "bench.convention:run", "convention.daily": "bench.convention:daily"},
)
