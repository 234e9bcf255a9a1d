"""What every update passes before any feature sees it, installed once in front of them all
(``handlers.register_all``): text hygiene, edited messages, and how the bot behaves in groups.

- **Text hygiene.** Control characters (NUL, backspace, escape …, C1 controls) and lone surrogates
  are stripped from a message's text and caption, so nothing a feature stores carries them
  (PostgreSQL refuses NUL in text; a lone surrogate cannot even be encoded). Tabs and line breaks
  stay; entity offsets are moved to match.
- **Edits are not answers.** An edited message inside a conversation gets 修改的消息不会被采用，请重新发送
  and changes nothing; anywhere else it is ignored.
- **Groups.** The bot answers only its own commands, its buttons and replies within its own
  conversations (a handler's note under a ticket card). A personal command (``Command(private=True)``
  in a manifest: /mydata, /forget, /complain …) gets a one-line note with a button that opens the
  private chat, and nothing personal is shown to the group. Chatter, service messages (joins, pins),
  unknown commands and commands for other bots get nothing. Channels get nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ApplicationHandlerStop, filters

from bot.app import BotContext
from handlers.kit import texts
from handlers.kit.conversation import in_conversation
from handlers.kit.replies import reply

# C0 controls but tab and line feed, DEL and the C1 controls, and lone surrogates (a JSON "\ud800"
# decodes to one).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SERVICE = filters.StatusUpdate.ALL


def strip_controls(text: str) -> str:
    """``text`` without control characters (see the module docstring)."""
    return _CONTROL.sub("", text)


def deep_link(bot_username: str, command: str) -> str:
    """A link that opens the private chat with the bot and offers to start it with ``command``."""
    return f"https://t.me/{bot_username}?start={command}"


def private_chat_keyboard(bot_username: str, command: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.OPEN_PRIVATE_CHAT, url=deep_link(bot_username, command))]]
    )


class Intake:
    """The update's first stop (see the module docstring); raises ApplicationHandlerStop to drop it."""

    def __init__(self, *, commands: Iterable[str], personal: Iterable[str]) -> None:
        self.commands = frozenset(commands)
        self.personal = frozenset(personal)

    async def __call__(self, update: Update, context: BotContext) -> None:
        _clean_messages(update)
        edited = update.edited_message or update.edited_channel_post
        if edited is not None:
            if edited.chat.type != ChatType.CHANNEL and in_conversation(context.application, update):
                await reply(update, texts.EDIT_NOT_USED)
            raise ApplicationHandlerStop
        chat = update.effective_chat
        if chat is None or chat.type == ChatType.PRIVATE or update.callback_query is not None:
            return
        if chat.type == ChatType.CHANNEL:
            raise ApplicationHandlerStop
        message = update.message
        if message is None:
            return  # membership changes and the like: no feature answers them
        await self._group_message(update, context, message)

    async def _group_message(self, update: Update, context: BotContext, message: Message) -> None:
        if _SERVICE.check_update(update):
            raise ApplicationHandlerStop
        command = _command_of(message, context.bot.username)
        if command is None:
            if in_conversation(context.application, update):
                return  # e.g. a handler's note under a ticket card: the conversation takes it
            raise ApplicationHandlerStop
        if command not in self.commands:
            raise ApplicationHandlerStop  # another bot's, or none of ours
        if command in self.personal:
            keyboard = private_chat_keyboard(context.bot.username, command)
            await reply(update, texts.PERSONAL_COMMAND_IN_GROUP, reply_markup=keyboard)
            raise ApplicationHandlerStop


def _command_of(message: Message, bot_username: str) -> str | None:
    """The command a message starts with, lower-case; "" for a command addressed to another bot;
    None when it starts with no command."""
    first = next(iter(message.entities), None)
    if not message.text or first is None or first.type != MessageEntityType.BOT_COMMAND or first.offset:
        return None
    name, _, addressee = message.parse_entity(first)[1:].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return ""
    return name.lower()


def _clean_messages(update: Update) -> None:
    for message in (update.message, update.edited_message, update.channel_post, update.edited_channel_post):
        if message is None:
            continue
        text, entities = _cleaned(message.text, message.entities)
        caption, caption_entities = _cleaned(message.caption, message.caption_entities)
        if text is message.text and caption is message.caption:
            continue
        # PTB freezes its objects; this is the one place that rewrites a received message, before
        # any handler has read it.
        with message._unfrozen():
            message.text, message.entities = text, entities
            message.caption, message.caption_entities = caption, caption_entities


def _cleaned(
    text: str | None, entities: Sequence[MessageEntity]
) -> tuple[str | None, tuple[MessageEntity, ...]]:
    """``text`` without control characters, its entities moved to match (offsets are UTF-16)."""
    if text is None or not _CONTROL.search(text):
        return text, tuple(entities)
    moved = [0]  # old UTF-16 offset → new UTF-16 offset
    kept: list[str] = []
    for character in text:
        units = 2 if ord(character) > 0xFFFF else 1
        dropped = _CONTROL.match(character) is not None
        if not dropped:
            kept.append(character)
        for _ in range(units):
            moved.append(moved[-1] + (0 if dropped else 1))
    shifted = []
    for entity in entities:
        start = moved[min(entity.offset, len(moved) - 1)]
        end = moved[min(entity.offset + entity.length, len(moved) - 1)]
        if end > start:
            shifted.append(
                MessageEntity(
                    entity.type,
                    start,
                    end - start,
                    url=entity.url,
                    user=entity.user,
                    language=entity.language,
                    custom_emoji_id=entity.custom_emoji_id,
                )
            )
    return "".join(kept), tuple(shifted)
