"""The outbox's Telegram side: a row's parts become PTB calls, and the bot's one sender is built here.

``part_sender(bot)`` is the engine's ``send``: one ``Part`` → one Bot API call, Telegram's errors
mapped to the engine's (429 → ``RetryLater``; 403, "chat not found" and lost rights →
``Unreachable``; "not modified" → ``NotModified``; a vanished message → ``MessageGone``; a group
turned supergroup → ``ChatMoved``; other 400s → ``RejectedSendError``; timeouts, network errors and
5xx → ``TransientSendError``).

``build_sender`` makes the one sender of a process: the outbox first, broadcast deliveries after,
both through one ``Pacer`` on the shared slot row, so the global limit covers everything sent.
"""

from __future__ import annotations

import html
import warnings
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.broadcast_delivery import (
    BroadcastSource,
    DatabaseSlotStore,
    Pacer,
    RejectedSendError,
    RetryLater,
    Send,
    SlotStore,
    TransientSendError,
    Unreachable,
)
from bot.clock import SystemClock
from bot.config import Settings
from bot.outbox import texts
from bot.outbox.engine import ChatMoved, Escalation, MessageGone, NotModified, OutboxSource, Part, SendPart
from bot.sending import Sender

GONE = ("message to edit not found", "message can't be edited", "message_id_invalid", "message not found")
UNREACHABLE = ("chat not found", "not enough rights", "have no rights", "need administrator rights")


def render(part: Part) -> str:
    """The part's text with the note (e.g. "the department's group could not be reached") above it."""
    if part.note is None:
        return part.text
    line = texts.NOTES.get(part.note, "").format(group=html.escape(part.label or texts.GROUP_UNNAMED))
    return f"{line}\n\n{part.text}" if part.text else line


def _markup(part: Part) -> InlineKeyboardMarkup | None:
    if not part.keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in part.keyboard]
    )


def _retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore")
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _call(bot: Bot, part: Part) -> int | None:
    html_mode = ParseMode.HTML
    chat, markup, text = part.chat_id, _markup(part), render(part)
    result: Message | bool | tuple[Message, ...]
    if part.kind == "text":
        result = await bot.send_message(chat, text, parse_mode=html_mode, reply_markup=markup)
    elif part.kind == "photo":
        result = await bot.send_photo(
            chat, part.photos[0], caption=text or None, parse_mode=html_mode, reply_markup=markup
        )
    elif part.kind == "album":
        media = [
            InputMediaPhoto(photo, caption=text or None if i == 0 else None, parse_mode=html_mode)
            for i, photo in enumerate(part.photos)
        ]
        result = await bot.send_media_group(chat, media)
    elif part.kind in ("location", "venue"):
        where = part.location or {}
        if part.kind == "venue":
            result = await bot.send_venue(
                chat,
                where["latitude"],
                where["longitude"],
                where["title"],
                where["address"],
                reply_markup=markup,
            )
        else:
            result = await bot.send_location(chat, where["latitude"], where["longitude"], reply_markup=markup)
    elif part.kind == "edit_caption":
        result = await bot.edit_message_caption(
            chat, part.message_id, caption=text, parse_mode=html_mode, reply_markup=markup
        )
    else:
        result = await bot.edit_message_text(
            text, chat, part.message_id, parse_mode=html_mode, reply_markup=markup
        )
    if isinstance(result, tuple):
        return result[0].message_id if result else None
    if isinstance(result, Message):
        return result.message_id
    return part.message_id  # an edit answered True


def part_sender(bot: Bot) -> SendPart:
    """The outbox engine's ``send``: a PTB call per part, Telegram's errors mapped to the engine's."""

    async def send(part: Part) -> int:
        try:
            message_id = await _call(bot, part)
        except RetryAfter as error:
            raise RetryLater(_retry_after(error)) from error
        except ChatMigrated as error:
            raise ChatMoved(int(error.new_chat_id)) from error
        except Forbidden as error:
            raise Unreachable(str(error)) from error
        except BadRequest as error:
            description = str(error).lower()
            if "not modified" in description:
                raise NotModified(str(error)) from error
            if any(words in description for words in GONE):
                raise MessageGone(str(error)) from error
            if any(words in description for words in UNREACHABLE):
                raise Unreachable(str(error)) from error
            raise RejectedSendError(str(error)) from error
        except (TimedOut, NetworkError) as error:  # PTB raises NetworkError for 5xx as well
            raise TransientSendError(str(error)) from error
        except TelegramError as error:
            raise RejectedSendError(str(error)) from error
        return message_id or 0

    return send


def build_sender(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    bot: Bot,
    broadcast_send: Send,
    *,
    clock: SystemClock,
    send: SendPart | None = None,
    store: SlotStore | None = None,
    backoff_seconds: float = 2.0,
    concurrency: int | None = None,
    worker_id: str | None = None,
) -> Sender:
    """The one sender of a bot process: owed messages first, then broadcast deliveries, one pace."""
    outbox = OutboxSource(
        send or part_sender(bot),
        escalation=Escalation(settings.staff_chat_id, tuple(sorted(settings.admin_ids))),
        deadline=timedelta(hours=settings.outbox_retry_deadline_hours),
        backoff_seconds=backoff_seconds,
    )
    return Sender(
        sessions,
        [outbox, BroadcastSource(broadcast_send)],
        pacer=Pacer(settings.broadcast_rate_per_second, store or DatabaseSlotStore(sessions, clock), clock),
        clock=clock,
        worker_id=worker_id,
        lease_seconds=settings.broadcast_claim_lease_seconds,
        poll_seconds=settings.broadcast_poll_seconds,
        concurrency=concurrency,
    )
