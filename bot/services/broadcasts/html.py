"""Staff HTML checked against Telegram's rules before anyone receives it.

The tags, attributes and entities Telegram accepts are ``bot.botapi_rules``', shared with the
emulator, so a notice that passes here is one Telegram takes.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from bot.botapi_rules import ALLOWED_TAGS, NAMED_ENTITIES
from bot.services.broadcasts.errors import BroadcastError, BroadcastProblem

MAX_TEXT = 4096  # Telegram's limit for a message (after entities are parsed)
MAX_CAPTION = 1024
MAX_ECHOED = 40  # a tag or attribute name quoted back to staff is cut to this length


class _TelegramHtmlChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[tuple[BroadcastProblem, dict[str, Any]]] = []
        self.text_length = 0

    def refuse(self, problem: BroadcastProblem, **params: str) -> None:
        self.problems.append((problem, {key: value[:MAX_ECHOED] for key, value in params.items()}))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_TAGS.get(tag)
        if allowed is None:
            self.refuse(BroadcastProblem.HTML_BAD_TAG, tag=tag)
            return
        for name, _value in attrs:
            if name not in allowed:
                self.refuse(BroadcastProblem.HTML_BAD_ATTR, tag=tag, attr=name)
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.refuse(BroadcastProblem.HTML_BAD_ATTR, tag=tag, attr="class")
        if tag == "a" and not re.match(r"^(https?://|tg://)", dict(attrs).get("href") or ""):
            self.refuse(BroadcastProblem.HTML_BAD_LINK)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refuse(BroadcastProblem.HTML_BAD_TAG, tag=tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.refuse(BroadcastProblem.HTML_UNBALANCED, tag=tag)
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.refuse(BroadcastProblem.HTML_STRAY)
        self.text_length += len(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self.refuse(BroadcastProblem.HTML_BAD_ENTITY, entity=name)
        self.text_length += 1

    def handle_charref(self, name: str) -> None:
        self.text_length += 1

    def handle_comment(self, data: str) -> None:
        self.refuse(BroadcastProblem.HTML_BAD_TAG, tag="!--")

    def handle_decl(self, decl: str) -> None:
        self.refuse(BroadcastProblem.HTML_BAD_TAG, tag="!")


def validate_html(text: str, *, caption: bool = False) -> str:
    """Check staff HTML against Telegram's rules before anything is sent; returns it stripped."""
    text = text.strip()
    limit = MAX_CAPTION if caption else MAX_TEXT
    if not text and not caption:
        raise BroadcastError(BroadcastProblem.TEXT_EMPTY)
    checker = _TelegramHtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        checker.refuse(BroadcastProblem.HTML_UNCLOSED, tag=checker.stack[-1])
    if checker.problems:
        problem, params = checker.problems[0]
        raise BroadcastError(problem, **params)
    if checker.text_length > limit:
        raise BroadcastError(BroadcastProblem.TEXT_TOO_LONG, length=checker.text_length, limit=limit)
    return text


def plain_text(html_text: str) -> str:
    """What a recipient reads: tags gone, entities unescaped (for list snippets)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
