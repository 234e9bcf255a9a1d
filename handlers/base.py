"""Shared pieces for thin handlers: replies, role guards, input checks, the command catalogue."""

from __future__ import annotations

import contextlib
import functools
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot import texts
from bot.app import BotContext
from bot.services import DomainError
from bot.services.users import Actor

Callback = Callable[[Update, BotContext], Awaitable[Any]]
F = TypeVar("F", bound=Callback)

MAX_TEXT = 2000


class Audience(Enum):
    RESIDENT = "resident"
    STAFF = "staff"  # staff, department handlers and admins
    ADMIN = "admin"


@dataclass(frozen=True)
class Command:
    """One bot command, for setMyCommands (scoped by audience) and /help."""

    name: str
    description: str
    audience: Audience = Audience.RESIDENT


def escape(value: object) -> str:
    return html.escape(str(value), quote=False)


def main_menu() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        texts.MENU_ROWS, resize_keyboard=True, input_field_placeholder=texts.MENU_PLACEHOLDER
    )


def button_rows(buttons: list[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    """(label, callback_data) pairs laid out ``per_row`` to a row (the last row may be shorter)."""
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def inline_keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback_data) pairs."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer a message or a button press in the same chat."""
    if update.callback_query is not None:
        await answer_quietly(update)
    message = update.effective_message
    if message is not None:
        return await message.reply_text(text, **kwargs)
    chat = update.effective_chat
    if chat is not None:
        return await chat.send_message(text, **kwargs)
    return None


async def answer_quietly(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer a callback query once; a second answer (or a stale query) is not an error."""
    query = update.callback_query
    if query is None:
        return
    with contextlib.suppress(BadRequest):
        await query.answer(text, show_alert=alert)


async def edit_or_reply(update: Update, text: str, **kwargs: Any) -> None:
    """Replace the pressed message's text; fall back to a new message when it cannot be edited."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await answer_quietly(update)
        try:
            await query.edit_message_text(text, **kwargs)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
    await reply(update, text, **kwargs)


def guarded(allowed: Callable[[Actor], bool]) -> Callable[[F], F]:
    """Check the role on every call — command or button — not only when a menu is drawn."""

    def decorator(callback: F) -> F:
        @functools.wraps(callback)
        async def wrapper(update: Update, context: BotContext) -> Any:
            actor = await context.actor(update)
            if not allowed(actor):
                if update.callback_query is not None:
                    await answer_quietly(update, texts.NOT_ALLOWED, alert=True)
                else:
                    await reply(update, texts.NOT_ALLOWED)
                return ConversationHandler.END
            return await callback(update, context)

        return wrapper  # type: ignore[return-value]

    return decorator


staff_only = guarded(lambda actor: actor.is_staff)
campaign_staff_only = guarded(lambda actor: actor.is_campaign_staff)
admin_only = guarded(lambda actor: actor.is_admin)


# Callback-data prefixes of staff buttons. A feature's staff buttons use ``staff_callback_pattern``
# for their CallbackQueryHandler pattern, so tests/test_role_checks.py presses every one of them as a
# resident and checks that the role guard refuses it (the guard itself is still ``@staff_only`` etc.).
STAFF_CALLBACK_PREFIXES: set[str] = set()


def staff_callback_pattern(prefix: str) -> str:
    """Register a staff button prefix and return its pattern: callback_data ``"<prefix>:…"``."""
    STAFF_CALLBACK_PREFIXES.add(prefix)
    return rf"^{re.escape(prefix)}:"


def staff_callback_prefixes(*prefixes: str) -> None:
    """Declare the callback_data prefixes of a feature's staff buttons (for the role-check test)."""
    STAFF_CALLBACK_PREFIXES.update(prefixes)


async def show_domain_error(update: Update, error: DomainError) -> None:
    """A service's refusal in Chinese: an alert for a button press, a reply to a message."""
    if update.callback_query is not None:
        await answer_quietly(update, str(error), alert=True)
    else:
        await reply(update, escape(error))


def domain_errors(callback: F) -> F:
    """Turn a DomainError from a service into its Chinese message instead of an error report."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> Any:
        try:
            return await callback(update, context)
        except DomainError as error:
            await show_domain_error(update, error)
            return None

    return wrapper  # type: ignore[return-value]


class InputRejected(DomainError):
    """The user's input cannot be used; the message says why and what to send instead."""


def text_of(update: Update, *, limit: int = MAX_TEXT, allow_caption: bool = False) -> str:
    """The message's text, checked: not empty, not too long, not a sticker or other non-text."""
    message = update.effective_message
    raw = None
    if message is not None:
        raw = message.text if message.text is not None else (message.caption if allow_caption else None)
    if raw is None:
        raise InputRejected(texts.TEXT_EXPECTED)
    stripped = raw.strip()
    if not stripped:
        raise InputRejected(texts.TEXT_EMPTY)
    if len(stripped) > limit:
        raise InputRejected(texts.TEXT_TOO_LONG.format(length=len(stripped), limit=limit))
    return stripped


def callback_parts(update: Update) -> list[str]:
    """All the parts of the pressed button's callback_data 'feature:action:arg…' ([""] when none)."""
    data = update.callback_query.data if update.callback_query else None
    return (data or "").split(":")


def callback_args(update: Update) -> list[str]:
    """The parts of a callback_data string 'feature:action:arg…' after the prefix and action."""
    return callback_parts(update)[2:]
