"""Tell someone, durably: the one API handlers and scheduled tasks use for messages a change owes.

Call it inside the transaction that makes the change — one line per owed message — and the
message is sent once that transaction commits (and never if it rolls back)::

    async with context.transaction() as session:
        ticket = await tickets.resolve(session, actor, ticket_id, note)
        await notify.person(session, ticket.reporter_id, views.resolved(ticket),
                            keyboard=views.rating_keyboard(ticket), photos=ticket.result_photos,
                            kind="ticket.resolved")
        await notify.edit_card(session, f"ticket:{ticket.id}", views.card(ticket),
                               keyboard=views.card_keyboard(ticket), kind="ticket.card")
    await reply(update, texts.RESOLVED_DONE)  # the direct answer stays inline

The direct answer to the person who acted is not for the outbox: it stays inline, so the bot
feels instant. Keyboards are ``InlineKeyboardMarkup`` or rows of (label, callback_data).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.config import Settings
from bot.models import OutboxMessage, Priority
from bot.outbox import service, texts
from bot.outbox.service import Keyboard, Location, Message

__all__ = ["Location", "Priority", "card", "edit_card", "group", "person", "staff", "staff_chats"]

KeyboardLike = InlineKeyboardMarkup | Keyboard | None


def _rows(keyboard: KeyboardLike) -> Keyboard | None:
    if not isinstance(keyboard, InlineKeyboardMarkup):
        return keyboard
    rows = []
    for row in keyboard.inline_keyboard:
        buttons = []
        for button in row:
            if not isinstance(button.callback_data, str):
                raise ValueError(f"only callback buttons can be queued: {button.text!r}")
            buttons.append((button.text, button.callback_data))
        rows.append(buttons)
    return rows


async def person(
    session: AsyncSession,
    user_id: int,
    text: str,
    *,
    kind: str,
    keyboard: KeyboardLike = None,
    photos: Sequence[str] = (),
    location: Location | None = None,
    priority: Priority = Priority.OWED,
) -> OutboxMessage:
    """A message to a person's private chat (403 marks them unreachable)."""
    return await service.enqueue(
        session,
        Message(
            user_id,
            kind,
            text,
            _rows(keyboard),
            photos,
            location,
            priority,
            user_id=user_id,
        ),
    )


async def group(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    kind: str,
    label: str | None = None,
    keyboard: KeyboardLike = None,
    photos: Sequence[str] = (),
    location: Location | None = None,
    priority: Priority = Priority.OWED,
    fallback: bool = True,
) -> OutboxMessage:
    """A message to a group (a department's or the staff chat). If the group cannot be reached, it
    goes to the staff chat (or every admin) with a line naming ``label`` — unless ``fallback`` is off."""
    return await service.enqueue(
        session,
        Message(
            chat_id,
            kind,
            text,
            _rows(keyboard),
            photos,
            location,
            priority,
            label=label,
            fallback=fallback,
        ),
    )


async def card(
    session: AsyncSession,
    chat_id: int,
    card_key: str,
    text: str,
    *,
    kind: str,
    keyboard: KeyboardLike = None,
    label: str | None = None,
    photos: Sequence[str] = (),
    priority: Priority = Priority.OWED,
    fallback: bool = True,
) -> OutboxMessage:
    """A card (e.g. ``card_key="ticket:42"``) to a chat; ``edit_card`` changes every copy later.
    A group's card falls back like ``group``; a card may go to several chats (one call each)."""
    return await service.enqueue(
        session,
        Message(
            chat_id,
            kind,
            text,
            _rows(keyboard),
            photos,
            None,
            priority,
            user_id=chat_id if chat_id > 0 else None,
            card_key=card_key,
            label=label,
            fallback=fallback and chat_id < 0,
        ),
    )


async def edit_card(
    session: AsyncSession,
    card_key: str,
    text: str,
    *,
    kind: str,
    keyboard: KeyboardLike = None,
    priority: Priority = Priority.OWED,
    redact: bool = False,
) -> int:
    """Change every copy of a card (status line, buttons); returns how many copies. "Not modified"
    counts as done; a copy whose message is gone is sent again. ``redact`` (for /forget): the
    stored rows of the card take the new text too, so none keeps what the edit removes."""
    return await service.edit_card(
        session, card_key, text, _rows(keyboard), kind=kind, priority=priority, redact=redact
    )


def staff_chats(settings: Settings) -> list[int]:
    """The campaign staff: the staff chat, or every admin when there is none."""
    if settings.staff_chat_id is not None:
        return [settings.staff_chat_id]
    return sorted(settings.admin_ids)


async def staff(
    session: AsyncSession,
    settings: Settings,
    text: str,
    *,
    kind: str,
    keyboard: KeyboardLike = None,
    photos: Sequence[str] = (),
    card_key: str | None = None,
    priority: Priority = Priority.OWED,
) -> list[OutboxMessage]:
    """A message (or, with ``card_key``, a card) to the staff chat — or else to every admin. An
    unreachable staff chat falls back to the admins."""
    rows = []
    for chat_id in staff_chats(settings):
        if card_key is not None:
            rows.append(
                await card(
                    session,
                    chat_id,
                    card_key,
                    text,
                    kind=kind,
                    keyboard=keyboard,
                    label=texts.STAFF_GROUP,
                    photos=photos,
                    priority=priority,
                )
            )
        elif chat_id < 0:
            rows.append(
                await group(
                    session,
                    chat_id,
                    text,
                    kind=kind,
                    label=texts.STAFF_GROUP,
                    keyboard=keyboard,
                    photos=photos,
                    priority=priority,
                )
            )
        else:
            rows.append(
                await person(
                    session, chat_id, text, kind=kind, keyboard=keyboard, photos=photos, priority=priority
                )
            )
    return rows
