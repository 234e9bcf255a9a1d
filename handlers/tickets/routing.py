"""What a ticket's changes owe others, written into the outbox inside the change's transaction.

The card (key ``ticket:{id}``) goes to the department's group, or to the campaign staff when the
department has none; later changes redraw every copy. Notices go to the reporter (nobody once they
have used /forget), to the department, and to the campaign staff. The sender delivers them after
the commit, in order per chat, retrying until they arrive (``bot.outbox``, docs/outbox.md); a
department group that cannot be reached has its card rerouted to the staff chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.app import BotData
from bot.models import Priority, Ticket
from bot.outbox import notify
from bot.outbox import service as outbox
from bot.services import tickets as service
from handlers.tickets import views
from handlers.tickets.resources import classifier_of

CARD_KEY_PREFIX = "ticket:"


class Owed(StrEnum):
    """The kinds of message a ticket owes (their names for staff: handlers.outbox.texts)."""

    CARD = "ticket.card"  # the department's card and every redraw of it
    URGENT = "ticket.urgent"  # an urgent report, to the campaign staff
    ACCEPTED = "ticket.accepted"  # to the reporter, from here on
    REASSIGNED = "ticket.reassigned"
    TRIAGED = "ticket.triaged"
    RESOLVED = "ticket.resolved"  # with the photo of the work and the rating buttons
    REJECTED = "ticket.rejected"
    DUPLICATE = "ticket.duplicate"
    LINKED_OUTCOME = "ticket.linked_outcome"  # to the reporters of tickets merged into this one
    AUTO_CLOSED = "ticket.auto_closed"
    REOPENED = "ticket.reopened"  # to the department
    WARNING = "ticket.warning"  # 75 % of the time limit, to the department
    ESCALATION = "ticket.escalation"  # 督办, to the campaign staff and the department


def card_key(ticket_id: int) -> str:
    return f"{CARD_KEY_PREFIX}{ticket_id}"


def ticket_id_of(key: str) -> int | None:
    """The ticket a card key names (None for anything else)."""
    number = key.removeprefix(CARD_KEY_PREFIX)
    return int(number) if key.startswith(CARD_KEY_PREFIX) and number.isdigit() else None


async def card_text(session: AsyncSession, data: BotData, ticket: Ticket) -> str:
    """The card as it reads now (with the reporter's current name)."""
    reporter = await service.reporter_name(session, ticket)
    return views.card_text(await classifier_of(data), ticket, reporter, data.settings.tz)


async def department_chat(data: BotData, department_id: str) -> tuple[int | None, str]:
    """The department's group (None: it has none, its messages go to the campaign staff) and name."""
    department = (await classifier_of(data)).departments.get(department_id)
    if department is None:
        return None, department_id
    return department.chat_id, department.name


async def post_card(session: AsyncSession, data: BotData, ticket: Ticket) -> None:
    """The card to the ticket's department (a new message there); copies elsewhere are redrawn.

    A copy in the department's own chat (a reopen, a move between departments that share the staff
    chat) stays as it was, a record of before: the new card takes its place as the copy. Copies in
    other chats (the previous department's) are redrawn — before the new card is written when it
    goes to a chat without one, so the new card needs no edit of its own; otherwise after it, and
    that edit finds the new card already up to date.
    """
    key = card_key(ticket.id)
    text, keyboard = await card_text(session, data, ticket), views.card_keyboard(ticket)
    chat_id, name = await department_chat(data, ticket.department_id)
    targets = {chat_id} if chat_id is not None else set(notify.staff_chats(data.settings))
    shown_in = set(await outbox.card_chats(session, key))
    elsewhere, here = shown_in - targets, shown_in & targets
    if elsewhere and not here:
        await notify.edit_card(session, key, text, keyboard=keyboard, kind=Owed.CARD)
    if chat_id is not None:
        await notify.card(session, chat_id, key, text, kind=Owed.CARD, keyboard=keyboard, label=name)
    else:
        await notify.staff(session, data.settings, text, kind=Owed.CARD, keyboard=keyboard, card_key=key)
    if elsewhere and here:
        await notify.edit_card(session, key, text, keyboard=keyboard, kind=Owed.CARD)


async def redraw_card(session: AsyncSession, data: BotData, ticket: Ticket) -> str:
    """Every copy of the card shows the ticket as it is now; returns the card's text."""
    text = await card_text(session, data, ticket)
    keyboard = views.card_keyboard(ticket)
    await notify.edit_card(session, card_key(ticket.id), text, keyboard=keyboard, kind=Owed.CARD)
    return text


async def is_card_copy(session: AsyncSession, ticket: Ticket, chat_id: int, message_id: int) -> bool:
    """Whether this message is the card's copy in its chat (which the sender redraws)."""
    return await outbox.card_message_id(session, card_key(ticket.id), chat_id) == message_id


async def tell_reporter(
    session: AsyncSession,
    ticket: Ticket,
    text: str,
    *,
    kind: Owed,
    keyboard: InlineKeyboardMarkup | None = None,
    photos: Sequence[str] = (),
) -> None:
    """A notice to the ticket's reporter (nobody, once they have used /forget)."""
    if ticket.reporter_id is not None:
        await notify.person(session, ticket.reporter_id, text, kind=kind, keyboard=keyboard, photos=photos)


async def tell_department(
    session: AsyncSession,
    data: BotData,
    department_id: str,
    text: str,
    *,
    kind: Owed,
    with_staff: bool = False,
    priority: Priority = Priority.OWED,
) -> None:
    """A notice to the department's group (the campaign staff when it has none); ``with_staff``:
    to the campaign staff as well, once each when the staff chat is the department's group."""
    chat_id, name = await department_chat(data, department_id)
    if chat_id is None or with_staff:
        await notify.staff(session, data.settings, text, kind=kind, priority=priority)
    if chat_id is not None and chat_id not in (notify.staff_chats(data.settings) if with_staff else []):
        await notify.group(session, chat_id, text, kind=kind, label=name, priority=priority)
