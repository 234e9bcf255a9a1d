"""Reading tickets: by id or number, for the reporter, for the staff queue, with their history."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Ticket, TicketEvent, TicketStatus, User
from bot.services import users
from bot.services.classifier import TRIAGE_ID
from bot.services.tickets.errors import NotAllowed, TicketNotFound, TicketProblem
from bot.services.tickets.rules import can_handle, can_view, normalise_number
from bot.services.users import Actor

OPEN_STATUSES = (TicketStatus.RECEIVED, TicketStatus.ACCEPTED)


async def get_ticket(session: AsyncSession, ticket_id: int, *, lock: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id)
    if lock:
        query = query.with_for_update()
    ticket = await session.scalar(query)
    if ticket is None:
        raise TicketNotFound
    return ticket


async def get_by_number(session: AsyncSession, raw: str) -> Ticket:
    ticket = await session.scalar(select(Ticket).where(Ticket.number == normalise_number(raw)))
    if ticket is None:
        raise TicketNotFound
    return ticket


async def visible_ticket(session: AsyncSession, raw_number: str, actor: Actor) -> Ticket:
    """A ticket its reporter or its handlers may see; others are told it does not exist."""
    ticket = await get_by_number(session, raw_number)
    if not can_view(actor, ticket):
        raise TicketNotFound
    return ticket


async def handled_ticket(session: AsyncSession, ticket_id: int, actor: Actor) -> Ticket:
    """A ticket this staff member may act on (its department's handlers, campaign staff)."""
    ticket = await get_ticket(session, ticket_id)
    if not can_handle(actor, ticket):
        raise NotAllowed(TicketProblem.NOT_YOURS)
    return ticket


async def reporter_name(session: AsyncSession, ticket: Ticket) -> str | None:
    """The reporter's display name; None when the report has no reporter any more (/forget)."""
    if ticket.reporter_id is None:
        return None
    user = await session.get(User, ticket.reporter_id)
    return user.display_name if user is not None else None


async def history(session: AsyncSession, ticket_id: int) -> Sequence[TicketEvent]:
    return (
        await session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.created_at, TicketEvent.id)
        )
    ).all()


async def tickets_of(session: AsyncSession, user_id: int, limit: int = 20) -> Sequence[Ticket]:
    return (
        await session.scalars(
            select(Ticket)
            .where(Ticket.reporter_id == user_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    ).all()


async def linked_reporters(session: AsyncSession, ticket_id: int) -> list[int]:
    """Reporters of the duplicates linked to this ticket (they hear its outcome too)."""
    rows = await session.scalars(
        select(Ticket.reporter_id).where(Ticket.duplicate_of_id == ticket_id, Ticket.reporter_id.is_not(None))
    )
    return sorted({r for r in rows if r is not None})


@dataclass(frozen=True)
class QueueFilter:
    status: TicketStatus | None = None
    category_id: str | None = None
    department_id: str | None = None
    overdue: bool = False
    triage: bool = False
    open_only: bool = False


async def queue(
    session: AsyncSession, actor: Actor, spec: QueueFilter, *, now: datetime, limit: int = 20
) -> tuple[Sequence[Ticket], int]:
    """Tickets for the staff queue (a department's handlers see only their department's)."""
    users.require_staff(actor)
    conditions: list[Any] = []
    if not actor.is_campaign_staff:
        conditions.append(Ticket.department_id == (actor.department or ""))
    if spec.status is not None:
        conditions.append(Ticket.status == spec.status)
    if spec.open_only or spec.overdue or spec.triage:
        conditions.append(Ticket.status.in_(OPEN_STATUSES))
    if spec.category_id:
        conditions.append(Ticket.category_id == spec.category_id)
    if spec.department_id:
        conditions.append(Ticket.department_id == spec.department_id)
    if spec.triage:
        conditions.append(Ticket.category_id == TRIAGE_ID)
    if spec.overdue:
        conditions.append(Ticket.due_at < now)
    total = await session.scalar(select(func.count(Ticket.id)).where(*conditions)) or 0
    rows = (
        await session.scalars(
            select(Ticket)
            .where(*conditions)
            .order_by(Ticket.urgent.desc(), Ticket.due_at.asc().nulls_last(), Ticket.id)
            .limit(limit)
        )
    ).all()
    return rows, int(total)


async def open_among(
    session: AsyncSession, actor: Actor, ticket_ids: Collection[int], *, limit: int = 10
) -> tuple[Sequence[Ticket], int]:
    """The open tickets among ``ticket_ids`` that this staff member handles (the queue's rule), the
    first ``limit`` by number, and how many there are."""
    users.require_staff(actor)
    if not ticket_ids:
        return [], 0
    conditions: list[Any] = [Ticket.id.in_(sorted(ticket_ids)), Ticket.status.in_(OPEN_STATUSES)]
    if not actor.is_campaign_staff:
        conditions.append(Ticket.department_id == (actor.department or ""))
    total = await session.scalar(select(func.count(Ticket.id)).where(*conditions)) or 0
    rows = (await session.scalars(select(Ticket).where(*conditions).order_by(Ticket.id).limit(limit))).all()
    return rows, int(total)
