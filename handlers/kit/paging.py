"""Long lists: pages of items with 上一页/下一页, and messages split under Telegram's length limit.

Lengths are what Telegram counts: the text once HTML tags and entities are parsed, in UTF-16 code
units (an emoji outside the Basic Multilingual Plane counts two). Lines are HTML; a cut never falls
inside a tag or an entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.outbox.engine import telegram_length

T = TypeVar("T")

MESSAGE_LIMIT = 4096  # Telegram's limit for one message's text
CAPTION_LIMIT = 1024  # … and for a photo's or a document's caption
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|.", re.DOTALL)  # a tag, an entity, or one character


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; ``number`` counts from 1 and is always within 1..``count``."""

    items: Sequence[T]
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Page ``number`` of ``items``, ``size`` to a page; a number out of range gives the nearest page.

    Old buttons may name a page that no longer exists after the list shrank: they show the last one.
    """
    if size < 1:
        raise ValueError("page size must be positive")
    count = max(1, -(-len(items) // size))
    number = min(max(number, 1), count)
    return Page(items[(number - 1) * size : number * size], number, count)


def page_containing(index: int, size: int) -> int:
    """The page number (from 1) of the item at ``index`` (from 0)."""
    return index // size + 1


def split_message(lines: Iterable[str], limit: int = MESSAGE_LIMIT, *, header: str = "") -> list[str]:
    """Join ``lines`` into as few messages as fit under ``limit`` each, breaking between lines.

    ``header`` starts the first message. A single line longer than the limit is cut into pieces (a
    list of user entries must not fail to send because one entry is huge); a line's own tags
    should not span more than a message's worth of text.
    """
    if limit < 2:
        raise ValueError("limit too small")
    messages: list[str] = []
    current, used = header, telegram_length(header)
    for line in lines:
        for piece in _pieces(line, limit):
            size = telegram_length(piece)
            if current and used + 1 + size <= limit:
                current, used = f"{current}\n{piece}", used + 1 + size
                continue
            if current:
                messages.append(current)
            current, used = piece, size
    if current:
        messages.append(current)
    return messages


def fitting(lines: Sequence[str], limit: int = MESSAGE_LIMIT, *, header: str = "") -> int:
    """How many of ``lines`` (from the first) fit in one message after ``header`` (at least one, so a
    page always moves on; a line too long for a message alone is the caller's to shorten)."""
    used = telegram_length(header)
    for count, line in enumerate(lines):
        used += (1 if used else 0) + telegram_length(line)
        if used > limit:
            return max(count, 1)
    return len(lines)


def shorten(text: str, limit: int) -> str:
    """Plain text cut to ``limit`` characters, with … where it was cut (escape it afterwards)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pieces(line: str, limit: int) -> list[str]:
    if telegram_length(line) <= limit:
        return [line]
    pieces, current, used = [], "", 0
    for token in _TOKEN.findall(line):
        size = 0 if token.startswith("<") and len(token) > 1 else telegram_length(token)
        if used + size > limit and current:
            pieces.append(current)
            current, used = "", 0
        current, used = current + token, used + size
    if current:
        pieces.append(current)
    return pieces
