"""Moving a ticket along ``TICKET_TRANSITIONS`` (bot/models/tickets.py): who may, whether the status
allows it, and the history and audit entries every move leaves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Ticket, TicketAction, TicketEvent
from bot.models.tickets import allowed, target_status
from bot.services import audit
from bot.services.tickets.errors import InvalidTransition, NotAllowed, TicketProblem
from bot.services.tickets.rules import can_handle
from bot.services.users import Actor


def require(actor: Actor, ticket: Ticket, action: TicketAction) -> None:
    """The actor handles this ticket, and its status allows the action now."""
    if not can_handle(actor, ticket):
        raise NotAllowed(TicketProblem.NOT_YOURS)
    require_status(ticket, action)


def require_status(ticket: Ticket, action: TicketAction) -> None:
    if not allowed(action, ticket.status):
        raise InvalidTransition(
            TicketProblem.WRONG_STATUS, number=ticket.number, status=ticket.status, action=action
        )


def require_reporter(ticket: Ticket, user_id: int) -> None:
    if ticket.reporter_id is None or ticket.reporter_id != user_id:
        raise NotAllowed(TicketProblem.ONLY_REPORTER)


async def apply(
    session: AsyncSession,
    ticket: Ticket,
    action: TicketAction,
    actor_id: int | None,
    now: datetime,
    *,
    note: str | None = None,
    staff: bool = True,
    **details: Any,
) -> None:
    """Move the ticket along TICKET_TRANSITIONS, write its history and (for staff) the audit log."""
    before = ticket.status
    ticket.status = target_status(action, before)
    ticket.updated_at = now
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind=action.value,
            from_status=before.value,
            to_status=ticket.status.value,
            actor_id=actor_id,
            note=note,
            details=details,
            created_at=now,
        )
    )
    if staff:
        await audit.record(
            session,
            actor_id,
            f"ticket.{action.value}",
            ticket.number,
            status_from=before.value,
            status_to=ticket.status.value,
            **details,
        )
