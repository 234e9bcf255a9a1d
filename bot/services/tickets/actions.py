"""What staff do with a ticket (受理, 转派, 分拣, 办结, 驳回, 重复) and what its reporter may do
afterwards (回访满意度, 重新办理). Each checks who may act and whether the status allows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Ticket, TicketAction, TicketStatus
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.tickets.deadlines import (
    cancel_close,
    cancel_limits,
    reschedule_limits,
    schedule_close,
    schedule_limits,
)
from bot.services.tickets.errors import InvalidTransition, TicketError, TicketNotFound, TicketProblem
from bot.services.tickets.lifecycle import apply, require, require_reporter, require_status
from bot.services.tickets.queries import get_ticket, visible_ticket
from bot.services.tickets.rules import REOPEN_DAYS, can_view, check_note, department_of, limit_hours
from bot.services.users import Actor

RATINGS = range(1, 6)  # 回访满意度: 1 (lowest) to 5


# ---------------------------------------------------------------- staff
async def check_action(session: AsyncSession, ticket_id: int, actor: Actor, action: TicketAction) -> Ticket:
    """Raise unless this actor may take this action on the ticket now (asked before prompting for a note)."""
    ticket = await get_ticket(session, ticket_id)
    require(actor, ticket, action)
    return ticket


async def accept(session: AsyncSession, ticket_id: int, actor: Actor, *, now: datetime) -> Ticket:
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.ACCEPT)
    ticket.accepted_at = now
    await apply(session, ticket, TicketAction.ACCEPT, actor.user_id, now)
    return ticket


async def reassign(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    actor: Actor,
    department_id: str,
    *,
    now: datetime,
) -> Ticket:
    """Send the ticket to another department; it is 待受理 there, with the original time limit."""
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.REASSIGN)
    if department_id not in classifier.departments:
        raise TicketError(TicketProblem.UNKNOWN_DEPARTMENT)
    if department_id == ticket.department_id:
        raise TicketError(TicketProblem.SAME_DEPARTMENT)
    previous = ticket.department_id
    ticket.department_id = department_id
    ticket.accepted_at = None
    await apply(
        session,
        ticket,
        TicketAction.REASSIGN,
        actor.user_id,
        now,
        department_from=previous,
        department_to=department_id,
    )
    return ticket


async def triage(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    actor: Actor,
    category_id: str,
    *,
    now: datetime,
) -> Ticket:
    """Give a 待分拣 (or misfiled) open ticket its category; it moves to that category's department."""
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.TRIAGE)
    if classifier.category(category_id) is None:
        raise TicketError(TicketProblem.UNKNOWN_CATEGORY)
    if category_id == ticket.category_id:
        raise InvalidTransition(TicketProblem.ALREADY_DONE)
    previous = ticket.category_id
    ticket.category_id = category_id
    ticket.department_id = department_of(classifier, category_id)
    ticket.time_limit_hours = limit_hours(classifier, category_id, ticket.urgent)
    if previous == TRIAGE_ID:  # the triage time limit gives way to the category's
        ticket.due_at = ticket.created_at + timedelta(hours=ticket.time_limit_hours)
        await reschedule_limits(session, ticket)
    await apply(
        session,
        ticket,
        TicketAction.TRIAGE,
        actor.user_id,
        now,
        category_from=previous,
        category_to=category_id,
        department_to=ticket.department_id,
    )
    return ticket


async def resolve(
    session: AsyncSession,
    ticket_id: int,
    actor: Actor,
    note: str,
    *,
    photo_file_id: str | None = None,
    now: datetime,
) -> Ticket:
    """办结 with a note (and an optional photo); the reporter may rate it or reopen it for a week."""
    note = check_note(note)
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.RESOLVE)
    ticket.resolved_at = now
    ticket.resolution_note = note
    await cancel_limits(session, ticket)
    details: dict[str, Any] = {"photo": photo_file_id} if photo_file_id else {}
    await apply(session, ticket, TicketAction.RESOLVE, actor.user_id, now, note=note, **details)
    await schedule_close(session, ticket, now)
    return ticket


async def reject(
    session: AsyncSession, ticket_id: int, actor: Actor, reason: str, *, now: datetime
) -> Ticket:
    reason = check_note(reason)
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.REJECT)
    ticket.closed_at = now
    await cancel_limits(session, ticket)
    await apply(session, ticket, TicketAction.REJECT, actor.user_id, now, note=reason)
    return ticket


async def mark_duplicate(
    session: AsyncSession, ticket_id: int, actor: Actor, original_number: str, *, now: datetime
) -> tuple[Ticket, Ticket]:
    """Link the ticket to the original (following the original's own link, so chains stay one deep).

    The original must be a ticket the actor may see — another department's number is "not found",
    exactly like a number that does not exist, so the answer tells nothing about it — and still
    open or resolved: a closed, rejected or merged case is no original to follow.
    """
    ticket = await get_ticket(session, ticket_id, lock=True)
    require(actor, ticket, TicketAction.DUPLICATE)
    original = await visible_ticket(session, original_number, actor)
    if original.duplicate_of_id is not None:
        original = await get_ticket(session, original.duplicate_of_id)
        if not can_view(actor, original):
            raise TicketNotFound
    if original.id == ticket.id:
        raise TicketError(TicketProblem.DUPLICATE_SELF)
    if not (original.status.is_open or original.status is TicketStatus.RESOLVED):
        raise TicketError(TicketProblem.ORIGINAL_CLOSED, number=original.number)
    ticket.duplicate_of_id = original.id
    ticket.closed_at = now
    await cancel_limits(session, ticket)
    await apply(session, ticket, TicketAction.DUPLICATE, actor.user_id, now, original=original.number)
    return ticket, original


# ---------------------------------------------------------------- the reporter
async def rate(session: AsyncSession, ticket_id: int, user_id: int, rating: int, *, now: datetime) -> Ticket:
    """回访满意度 1–5; closes the resolved ticket. A second rating is refused politely."""
    if rating not in RATINGS:
        raise TicketError(TicketProblem.RATING_INVALID)
    ticket = await get_ticket(session, ticket_id, lock=True)
    require_reporter(ticket, user_id)
    if ticket.rating is not None and ticket.status is not TicketStatus.RESOLVED:
        raise InvalidTransition(TicketProblem.ALREADY_RATED)
    require_status(ticket, TicketAction.RATE)
    ticket.rating = rating
    ticket.closed_at = now
    await apply(session, ticket, TicketAction.RATE, user_id, now, staff=False, rating=rating)
    return ticket


async def reopen(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    user_id: int,
    *,
    now: datetime,
) -> Ticket:
    """重新办理 within REOPEN_DAYS of resolution: back to 待受理 in the same department, a new time limit."""
    ticket = await get_ticket(session, ticket_id, lock=True)
    require_reporter(ticket, user_id)
    require_status(ticket, TicketAction.REOPEN)
    if ticket.resolved_at is None or now - ticket.resolved_at > timedelta(days=REOPEN_DAYS):
        raise TicketError(TicketProblem.REOPEN_EXPIRED, days=REOPEN_DAYS)
    await cancel_close(session, ticket)
    ticket.reopen_count += 1
    ticket.resolved_at = None
    ticket.accepted_at = None
    ticket.closed_at = None
    ticket.rating = None
    ticket.time_limit_hours = limit_hours(classifier, ticket.category_id, ticket.urgent)
    ticket.due_at = now + timedelta(hours=ticket.time_limit_hours)
    await apply(session, ticket, TicketAction.REOPEN, user_id, now, staff=False)
    await schedule_limits(session, ticket, now)
    return ticket
