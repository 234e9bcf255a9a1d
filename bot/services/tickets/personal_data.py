"""A resident's tickets in /mydata, and what /forget leaves of them (the reports, anonymised)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Ticket, TicketEvent


async def export_tickets(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await session.scalars(select(Ticket).where(Ticket.reporter_id == user_id).order_by(Ticket.id))
    return [
        {
            "number": t.number,
            "text": t.text,
            "status": t.status.value,
            "category": t.category_id,
            "department": t.department_id,
            "anonymous": t.anonymous,
            "address": t.address,
            "latitude": t.latitude,
            "longitude": t.longitude,
            "photos": len(t.photo_file_ids),
            "rating": t.rating,
            "created_at": t.created_at.isoformat(),
            "resolved_at": t.resolved_at.isoformat() if t.resolved_at else None,
        }
        for t in rows
    ]


async def named_reports(session: AsyncSession, user_id: int) -> list[Ticket]:
    """The person's reports that show their name (not filed anonymously): their cards name them."""
    rows = await session.scalars(
        select(Ticket).where(Ticket.reporter_id == user_id, Ticket.anonymous.is_(False)).order_by(Ticket.id)
    )
    return list(rows)


async def erase_tickets(session: AsyncSession, user_id: int) -> None:
    """The reports stay for the departments, anonymised: no reporter, no link back in their history."""
    ids = list(await session.scalars(select(Ticket.id).where(Ticket.reporter_id == user_id)))
    if not ids:
        return
    # The filing key goes too: it is in the buttons of the person's chat and would lead back here.
    await session.execute(
        update(Ticket).where(Ticket.id.in_(ids)).values(reporter_id=None, anonymous=True, filing_key=None)
    )
    await session.execute(
        update(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.actor_id == user_id)
        .values(actor_id=None)
    )
