"""Browsing the convention: the paged list of articles, one article in full, 每日一条.

/convention shows the list (the 文明公约 menu button too); /convention N, 第N条 or 十二 shows article N.
Page and article buttons edit the message in place; an old button for an article a city's file no
longer has expires politely.
"""

from __future__ import annotations

from telegram import Update

from bot import texts as common_texts
from bot.app import BotContext
from bot.models import Topic
from bot.services import users
from bot.services.convention import Convention
from handlers.convention import texts, views
from handlers.convention.callbacks import ArticleButton, DailyButton, PageButton
from handlers.convention.resources import convention_of
from handlers.kit.replies import View, answer_quietly, edit_view, send_view

SHOWN_INPUT_CHARS = 20  # of a number that is no article, echoed back in the hint


def parse_article_number(value: str) -> int | None:
    """'3', '３', '第3条', '三', '第十二条' → the number; anything else → None (range not checked)."""
    text = value.strip().removeprefix(texts.NUMBER_PREFIX).removesuffix(texts.NUMBER_SUFFIX).strip()
    if text.isdecimal() and len(text) <= 4:
        return int(text)
    digits, ten, two = texts.NUMERAL_DIGITS, texts.NUMERAL_TEN, texts.NUMERAL_TWO_COLLOQUIAL
    if not text or any(c not in digits + ten + two for c in text):
        return None
    text = text.replace(two, digits[2])
    if ten not in text:
        return digits.index(text) if len(text) == 1 else None
    tens, _, ones = text.partition(ten)
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)


def article_or_hint(convention: Convention, value: str) -> View | None:
    """The article ``value`` names, or the hint for a number that is no article; None: not a number."""
    number = parse_article_number(value)
    if number is None:
        return None
    article = convention.article(number)
    if article is None:
        return views.bad_number_view(convention, value[:SHOWN_INPUT_CHARS])
    return views.article_view(convention, article)


async def convention_command(update: Update, context: BotContext) -> None:
    """/convention shows the list; /convention N shows article N (bad numbers get the list and a hint)."""
    convention = convention_of(context)
    value = " ".join(context.args or []).strip()
    if not value:
        await show_list(update, context)
        return
    view = article_or_hint(convention, value)
    await send_view(update, view or views.bad_number_view(convention, value[:SHOWN_INPUT_CHARS]))


async def show_list(update: Update, context: BotContext) -> None:
    """The 文明公约 menu button and /convention: page 1 of the titles."""
    await send_view(update, views.list_view(convention_of(context), 1))


async def page_pressed(update: Update, context: BotContext, press: PageButton) -> None:
    await edit_view(update, views.list_view(convention_of(context), press.page))


async def article_pressed(update: Update, context: BotContext, press: ArticleButton) -> None:
    convention = convention_of(context)
    article = convention.article(press.number)
    if article is None:  # the file has fewer articles than when the button was made
        await answer_quietly(update, common_texts.BUTTON_EXPIRED, alert=True)
        return
    await edit_view(update, views.article_view(convention, article))


async def daily_pressed(update: Update, context: BotContext, press: DailyButton) -> None:
    """📅 每日一条: subscribe to the daily article (a second press only says so)."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
        added = await users.subscribe(session, user.id, Topic.DAILY_ARTICLE)
    text = views.daily_subscription_text(added, context.settings.daily_article_time)
    await answer_quietly(update, text, alert=True)
