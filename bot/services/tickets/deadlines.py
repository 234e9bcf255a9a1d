"""Time limits: the scheduled tasks of a ticket (75 % warning, 督办 when overdue, closing an unrated
one) and what each does when it comes due. The handlers of the task kinds only tell people."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import Ticket, TicketAction, TicketEvent
from bot.models.tickets import allowed
from bot.services import audit
from bot.services.tickets.lifecycle import apply
from bot.services.tickets.rules import REOPEN_DAYS

WARN_KIND = "ticket-warn"
OVERDUE_KIND = "ticket-overdue"
CLOSE_KIND = "ticket-close"
WARN_FRACTION = 0.75  # of the time limit, when the department is reminded


def task_keys(ticket: Ticket) -> tuple[str, str]:
    """The warning and overdue task keys of the ticket's current round (a reopen starts a new one)."""
    suffix = f":{ticket.reopen_count}" if ticket.reopen_count else ""
    return f"{WARN_KIND}:{ticket.id}{suffix}", f"{OVERDUE_KIND}:{ticket.id}{suffix}"


def close_key(ticket: Ticket) -> str:
    return f"{CLOSE_KIND}:{ticket.id}:{ticket.reopen_count}"


async def schedule_limits(session: AsyncSession, ticket: Ticket, now: datetime) -> None:
    assert ticket.due_at is not None
    warn_key, overdue_key = task_keys(ticket)
    span = ticket.due_at - now
    await scheduler.schedule(session, warn_key, WARN_KIND, now + span * WARN_FRACTION, {"ticket": ticket.id})
    await scheduler.schedule(session, overdue_key, OVERDUE_KIND, ticket.due_at, {"ticket": ticket.id})


async def reschedule_limits(session: AsyncSession, ticket: Ticket) -> None:
    """The ticket's due time changed (a triaged ticket takes its category's limit from the report)."""
    assert ticket.due_at is not None
    warn_key, overdue_key = task_keys(ticket)
    span = ticket.due_at - ticket.created_at
    await scheduler.reschedule(session, warn_key, ticket.created_at + span * WARN_FRACTION)
    await scheduler.reschedule(session, overdue_key, ticket.due_at)


async def cancel_limits(session: AsyncSession, ticket: Ticket) -> None:
    for key in task_keys(ticket):
        await scheduler.cancel(session, key)


async def schedule_close(session: AsyncSession, ticket: Ticket, now: datetime) -> None:
    """A resolved ticket closes itself when the reopen window passes without a rating."""
    await scheduler.schedule(
        session, close_key(ticket), CLOSE_KIND, now + timedelta(days=REOPEN_DAYS), {"ticket": ticket.id}
    )


async def cancel_close(session: AsyncSession, ticket: Ticket) -> None:
    await scheduler.cancel(session, close_key(ticket))


# ---------------------------------------------------------------- when a task comes due
async def open_for_warning(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """The ticket when a 75% warning still makes sense (open, not yet due); records it in the history."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not ticket.status.is_open or ticket.due_at is None or ticket.due_at <= now:
        return None
    session.add(TicketEvent(ticket_id=ticket.id, kind="warned", created_at=now))
    return ticket


async def overdue_for_escalation(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """The ticket when it is open and past its time limit (督办); records the escalation."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not ticket.status.is_open or ticket.due_at is None or ticket.due_at > now:
        return None
    session.add(TicketEvent(ticket_id=ticket.id, kind="escalated", created_at=now))
    await audit.record(session, None, "ticket.escalated", ticket.number, department=ticket.department_id)
    return ticket


async def close_unrated(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """Close a resolved ticket whose reopen window passed without a rating."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not allowed(TicketAction.CLOSE, ticket.status):
        return None
    ticket.closed_at = now
    await apply(session, ticket, TicketAction.CLOSE, None, now, staff=False)
    return ticket
