"""Telling someone other than the person being answered: a resident, a group, the campaign staff.

Callers say who and what; how it travels is this module's business (today: sent at once; later a
durable outbox behind the same call). The same rules hold for every feature:

- a person who blocked the bot or deleted their account (403, "chat not found") is marked
  unreachable, and broadcasts skip them until they write to the bot again;
- nothing raises: a notice that cannot be delivered is logged (without personal data: no user ids,
  no message text) and the caller's own work stands;
- ``STAFF`` is the campaign staff chat (``STAFF_CHAT_ID``), or every admin while there is none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.app import BotData
from bot.config import Settings
from bot.database import transaction
from bot.outbox.engine import telegram_length
from bot.services.users import mark_unreachable
from handlers.kit.paging import CAPTION_LIMIT

log = logging.getLogger(__name__)


class Messenger(Protocol):
    """What sends: a handler's context or the application (scheduled tasks) both qualify."""

    @property
    def bot(self) -> Bot: ...

    @property
    def bot_data(self) -> BotData: ...


@dataclass(frozen=True)
class Person:
    """A user's private chat with the bot."""

    user_id: int


@dataclass(frozen=True)
class Group:
    """A group chat the bot is a member of (a department's group, the staff chat)."""

    chat_id: int


@dataclass(frozen=True)
class CampaignStaff:
    """The campaign staff: resolved from the settings when the notice is sent."""


STAFF = CampaignStaff()
Recipient = Person | Group | CampaignStaff


def people(user_ids: Iterable[int]) -> list[Person]:
    return [Person(user_id) for user_id in user_ids]


def staff_chats(settings: Settings) -> list[Recipient]:
    """The staff chat, or every admin from ADMIN_IDS while none is configured."""
    if settings.staff_chat_id is not None:
        return [Group(settings.staff_chat_id)]
    return [Person(admin_id) for admin_id in sorted(settings.admin_ids)]


def resolve(settings: Settings, recipients: Iterable[Recipient]) -> list[Person | Group]:
    """Concrete chats, in order, each once (the staff chat may also be a department's group)."""
    resolved: dict[int, Person | Group] = {}
    for recipient in recipients:
        for chat in staff_chats(settings) if isinstance(recipient, CampaignStaff) else [recipient]:
            assert not isinstance(chat, CampaignStaff)
            resolved.setdefault(chat.user_id if isinstance(chat, Person) else chat.chat_id, chat)
    return list(resolved.values())


def chat_ids(settings: Settings, recipients: Iterable[Recipient]) -> list[int]:
    """The chat ids ``recipients`` stand for (for what ``tell`` cannot carry yet, e.g. documents)."""
    return [
        chat.user_id if isinstance(chat, Person) else chat.chat_id for chat in resolve(settings, recipients)
    ]


async def tell(
    via: Messenger,
    who: Recipient | Sequence[Recipient],
    text: str,
    *,
    buttons: InlineKeyboardMarkup | None = None,
    photo: str | None = None,
) -> int:
    """Send ``text`` (HTML) to each recipient, with inline ``buttons`` and a ``photo`` (a Telegram file
    id; the text becomes its caption). Returns how many recipients it reached."""
    recipients = [who] if isinstance(who, Person | Group | CampaignStaff) else list(who)
    reached = 0
    for chat in resolve(via.bot_data.settings, recipients):
        chat_id = chat.user_id if isinstance(chat, Person) else chat.chat_id
        try:
            await _send(via.bot, chat_id, text, buttons, photo)
            reached += 1
        except Forbidden as error:
            await _undeliverable(via, chat, error)
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                await _undeliverable(via, chat, error)
            else:
                _log_failure(chat, error)
        except TelegramError as error:
            _log_failure(chat, error)
    return reached


async def _send(
    bot: Bot, chat_id: int, text: str, buttons: InlineKeyboardMarkup | None, photo: str | None
) -> Any:
    if photo is not None and telegram_length(text) > CAPTION_LIMIT:
        await bot.send_photo(chat_id, photo)  # too long for a caption: the text follows on its own
        return await bot.send_message(chat_id, text, reply_markup=buttons)
    if photo is not None:
        return await bot.send_photo(chat_id, photo, caption=text or None, reply_markup=buttons)
    return await bot.send_message(chat_id, text, reply_markup=buttons)


async def _undeliverable(via: Messenger, chat: Person | Group, error: TelegramError) -> None:
    if isinstance(chat, Person):
        async with transaction(via.bot_data.sessions) as session:
            await mark_unreachable(session, chat.user_id)
        log.info("a person is unreachable (%s); marked", type(error).__name__)
    else:
        log.warning("group %s cannot be reached: %s", chat.chat_id, error)


def _log_failure(chat: Person | Group, error: TelegramError) -> None:
    if isinstance(chat, Person):
        log.warning("a notice to a person was not delivered: %s", error)
    else:
        log.warning("a notice to group %s was not delivered: %s", chat.chat_id, error)
