"""Answering the person whose update is being handled: replies, toasts, edits, keyboards, escaping."""

from __future__ import annotations

import contextlib
import functools
import html
from collections.abc import Sequence
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from handlers.kit import texts
from handlers.kit.paging import split_message

ButtonRow = Sequence[tuple[str, str]]  # (label, callback_data) pairs
TOAST_LIMIT = 200  # characters Telegram shows in a callback query's answer


class View(NamedTuple):
    """What a feature's view function makes from domain objects: HTML text and its inline keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def escape(value: object) -> str:
    """User-supplied text inside an HTML reply (replies use HTML parse mode)."""
    return html.escape(str(value), quote=False)


@functools.cache
def main_menu() -> ReplyKeyboardMarkup:
    """The residents' menu keyboard: built once (Telegram objects are immutable), sent with most replies."""
    return ReplyKeyboardMarkup(
        texts.MENU_ROWS, resize_keyboard=True, input_field_placeholder=texts.MENU_PLACEHOLDER
    )


def button_rows(buttons: Sequence[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    """(label, callback_data) pairs laid out ``per_row`` to a row (the last row may be shorter)."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def inline_keyboard(rows: Sequence[ButtonRow]) -> InlineKeyboardMarkup:
    """Rows of (label, callback_data) pairs."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer a message or a button press in the same chat.

    A reply keyboard (the main menu, 发送位置 …) is for a person's private chat: in a group it would
    replace everyone's keyboard, so it is left off there.
    """
    if update.callback_query is not None:
        await answer_quietly(update)
    chat = update.effective_chat
    if (
        chat is not None
        and chat.type != ChatType.PRIVATE
        and isinstance(kwargs.get("reply_markup"), ReplyKeyboardMarkup)
    ):
        kwargs["reply_markup"] = None
    message = update.effective_message
    if message is not None:
        return await message.reply_text(text, **kwargs)
    chat = update.effective_chat
    if chat is not None:
        return await chat.send_message(text, **kwargs)
    return None


async def send_view(update: Update, view: View) -> Message | None:
    """Reply with a view."""
    return await reply(update, view.text, reply_markup=view.keyboard)


async def send_long_view(update: Update, view: View) -> Message | None:
    """Reply with a view whose text may not fit one message (a list, a long history): split between
    lines under Telegram's limit, the keyboard under the last part."""
    parts = split_message(view.text.split("\n"))
    last = None
    for number, part in enumerate(parts, start=1):
        last = await reply(update, part, reply_markup=view.keyboard if number == len(parts) else None)
    return last


async def edit_view(update: Update, view: View) -> None:
    """Show a view in place of the pressed message (or as a new message when that cannot be edited)."""
    await edit_or_reply(update, view.text, reply_markup=view.keyboard)


async def answer_quietly(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer a callback query once; a second answer (or a stale query) is not an error. A text
    longer than a toast holds is cut to fit."""
    query = update.callback_query
    if query is None:
        return
    if text is not None and len(text) > TOAST_LIMIT:
        text = text[: TOAST_LIMIT - 1] + "…"
    with contextlib.suppress(BadRequest):
        await query.answer(text, show_alert=alert)


async def edit_or_reply(update: Update, text: str, **kwargs: Any) -> None:
    """Replace the pressed message's text (a photo's caption); fall back to a new message when it
    cannot be edited."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await answer_quietly(update)
        try:
            if getattr(query.message, "photo", None):  # a notice with its photo (ticket resolved)
                await query.edit_message_caption(text, **kwargs)
            else:
                await query.edit_message_text(text, **kwargs)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
    await reply(update, text, **kwargs)


async def refuse(update: Update, text: str) -> None:
    """Say no: a pop-up for a button press (nothing else is sent), a reply to a message."""
    if update.callback_query is not None:
        await answer_quietly(update, text, alert=True)
    else:
        await reply(update, escape(text))
