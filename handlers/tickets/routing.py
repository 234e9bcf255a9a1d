"""Where a ticket's card and notices go: the department's group (or the campaign staff), the reporter."""

from __future__ import annotations

from bot.database import transaction
from bot.models import Ticket
from bot.services import tickets as service
from bot.services.classifier import ComplaintClassifier
from handlers.kit import notify
from handlers.tickets import views
from handlers.tickets.resources import classifier_of


def department_chats(classifier: ComplaintClassifier, department_id: str) -> list[notify.Recipient]:
    """The department's group, or the campaign staff when it has none."""
    department = classifier.departments.get(department_id)
    if department is not None and department.chat_id is not None:
        return [notify.Group(department.chat_id)]
    return [notify.STAFF]


async def card_text(via: notify.Messenger, ticket: Ticket) -> str:
    """The card as it reads now (with the reporter's current name)."""
    data = via.bot_data
    async with transaction(data.sessions, read_only=True) as session:
        reporter = await service.reporter_name(session, ticket)
    return views.card_text(await classifier_of(data), ticket, reporter, data.settings.tz)


async def post_card(via: notify.Messenger, ticket: Ticket) -> None:
    """Route: the card goes to the department's chat (or the campaign staff when it has none)."""
    classifier = await classifier_of(via.bot_data)
    chats = department_chats(classifier, ticket.department_id)
    await notify.tell(via, chats, await card_text(via, ticket), buttons=views.card_keyboard(ticket))


def card_key(ticket_id: int) -> str:
    """The outbox key of a ticket's card: its edits (and /forget's 已匿名) reach every copy."""
    return f"ticket:{ticket_id}"


def reporter(ticket: Ticket) -> list[notify.Recipient]:
    """Who hears how a report goes: its reporter (nobody, once they have used /forget)."""
    return [] if ticket.reporter_id is None else [notify.Person(ticket.reporter_id)]
