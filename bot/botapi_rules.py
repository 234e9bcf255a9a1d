"""Telegram's rules for what a bot may send, as the Bot API enforces them.

The in-repo emulator applies these to every call, so a message that Telegram would refuse (a tag
its HTML parser does not know, an unclosed tag, a bare ``&``, 4,097 characters, 65 bytes of button
data, a 201-character toast) fails the test or console session that sent it, not a resident's
phone in production. Limits are from the Bot API documentation (sendMessage, sendPhoto,
InlineKeyboardButton, answerCallbackQuery, setMyCommands, formatting options).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

MAX_TEXT = 4096  # characters after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_BUTTON_TEXT = 4096
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_COMMAND_DESCRIPTION = 256

# Tags Telegram's HTML parse mode knows, with the attributes it accepts on them.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "tg-spoiler": frozenset(),
    "span": frozenset({"class"}),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
NAMED_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


class RuleViolation(Exception):
    """What Telegram would answer with 400 Bad Request."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = f"Bad Request: {description}"


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise RuleViolation(f'can\'t parse entities: unsupported start tag "{tag}"')
        for name, _ in attrs:
            if name not in ALLOWED_TAGS[tag]:
                raise RuleViolation(f'can\'t parse entities: unsupported attribute "{name}" of tag "{tag}"')
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise RuleViolation('can\'t parse entities: span without class="tg-spoiler"')
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise RuleViolation(f'can\'t parse entities: unsupported self-closing tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise RuleViolation(f"can't parse entities: can't find end tag corresponding to \"{tag}\"")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            raise RuleViolation(f'can\'t parse entities: unsupported HTML entity "&{name};"')
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise RuleViolation("can't parse entities: comments are not supported")

    def handle_decl(self, decl: str) -> None:
        raise RuleViolation("can't parse entities: declarations are not supported")

    def unknown_decl(self, data: str) -> None:
        raise RuleViolation("can't parse entities: declarations are not supported")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a client shows; raises RuleViolation where Telegram's parser refuses the markup."""
    if parse_mode is None:
        return text
    if parse_mode.upper() != "HTML":
        raise RuleViolation(f"unsupported parse_mode {parse_mode!r} in this emulator")
    # A bare "&" or "<" that starts no entity or tag is refused by Telegram.
    for match in re.finditer(r"&", text):
        if not ENTITY.match(text, match.start()):
            raise RuleViolation("can't parse entities: character '&' is reserved and must be escaped")
    if re.search(r"<(?![A-Za-z/])", text):
        raise RuleViolation("can't parse entities: character '<' is reserved and must be escaped")
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise RuleViolation(
            f"can't parse entities: can't find end tag corresponding to \"{parser.open[-1]}\""
        )
    return "".join(parser.text)


def check_text(text: str, parse_mode: str | None) -> str:
    shown = visible_text(text, parse_mode)
    if not shown.strip():
        raise RuleViolation("message text is empty")
    if len(shown) > MAX_TEXT:
        raise RuleViolation("message is too long")
    return shown


def check_caption(caption: str | None, parse_mode: str | None) -> None:
    if caption is None:
        return
    if len(visible_text(caption, parse_mode)) > MAX_CAPTION:
        raise RuleViolation("message caption is too long")


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            label = str(button.get("text", ""))
            if not label.strip() or len(label) > MAX_BUTTON_TEXT:
                raise RuleViolation("inline keyboard button text is empty or too long")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise RuleViolation("BUTTON_DATA_INVALID")
    for row in markup.get("keyboard", []):
        for button in row:
            label = button if isinstance(button, str) else str(button.get("text", ""))
            if not label.strip():
                raise RuleViolation("keyboard button text is empty")


def check_callback_answer(text: str | None) -> None:
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise RuleViolation("MESSAGE_TOO_LONG")


def check_commands(commands: list[dict[str, Any]]) -> None:
    for command in commands:
        if not COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise RuleViolation("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= MAX_COMMAND_DESCRIPTION:
            raise RuleViolation("BOT_COMMAND_DESCRIPTION_INVALID")
