"""What /forget owes the departments: every card that showed the reporter's name now says 已匿名.

Runs in the /forget transaction, before the erasers (``Feature.on_forget``): the edits are outbox
rows, sent once the erasure commits and never if it rolls back, and the rows already written for
those cards are redacted too, so no stored copy keeps the name.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import BotData
from bot.outbox import notify
from bot.services import tickets as service
from handlers.tickets import views
from handlers.tickets.resources import classifier_of
from handlers.tickets.routing import card_key


async def anonymise_cards(session: AsyncSession, data: BotData, user_id: int) -> None:
    """Edit the cards of the person's named reports to show 已匿名 (anonymous ones never named them)."""
    reports = await service.named_reports(session, user_id)
    if not reports:
        return
    classifier = await classifier_of(data)
    tz = data.settings.tz
    for ticket in reports:
        await notify.edit_card(
            session,
            card_key(ticket.id),
            views.card_text(classifier, ticket, None, tz),
            keyboard=views.card_keyboard(ticket),
            kind="ticket.card",
            redact=True,
        )
