"""The older features' imports, kept while they move to ``handlers.kit`` one at a time.

New code imports from ``handlers.kit`` (see handlers/kit/README.md). What is defined here, rather
than re-exported, is the older way that the kit replaces: message-carrying input errors and
hand-split callback data (the kit has typed button kinds instead).
"""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.services import DomainError
from handlers.kit.errors import show_errors as domain_errors
from handlers.kit.feature import Command
from handlers.kit.guards import Audience, admin_only, campaign_staff_only
from handlers.kit.replies import (
    answer_quietly,
    button_rows,
    edit_or_reply,
    escape,
    inline_keyboard,
    main_menu,
    reply,
)

MAX_TEXT = 2000


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


__all__ = [
    "MAX_TEXT",
    "Audience",
    "Command",
    "InputRejected",
    "admin_only",
    "answer_quietly",
    "button_rows",
    "callback_args",
    "callback_parts",
    "campaign_staff_only",
    "domain_errors",
    "edit_or_reply",
    "escape",
    "inline_keyboard",
    "main_menu",
    "reply",
    "text_of",
]
