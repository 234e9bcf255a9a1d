"""Long lists: pages of items with 上一页/下一页, and messages split under Telegram's length limit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MESSAGE_LIMIT = 4096  # Telegram's limit for one message's text, in characters


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
    """Join ``lines`` into as few messages as fit under ``limit`` characters each, breaking between lines.

    ``header`` starts the first message. A single line longer than the limit is cut into pieces (a
    list of user entries must not fail to send because one entry is huge).
    """
    if limit < 2:
        raise ValueError("limit too small")
    messages: list[str] = []
    current = header
    for line in lines:
        for piece in _pieces(line, limit):
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
                continue
            if current:
                messages.append(current)
            current = piece
    if current:
        messages.append(current)
    return messages


def _pieces(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    return [line[i : i + limit] for i in range(0, len(line), limit)]
