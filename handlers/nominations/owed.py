"""What nominations' changes owe others, written into the outbox inside the change's transaction.

Every status change is owed to the nominator and to everyone whose nomination joined it; the
campaign staff hear of new nominations and of material added on request; a round's opening is owed
to the nominators of its candidates; publishing the 好人榜 tells the nominators (its announcement to
subscribers is a broadcast). The sender delivers each after the commit (``bot.outbox``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Priority
from bot.outbox import notify
from bot.services.nominations import Notice


class Owed(StrEnum):
    """The kinds of message nominations owe (their names for staff: handlers.outbox.texts)."""

    STATUS = "nomination.status"  # to the nominators, of a status change
    PUBLISHED = "nomination.published"  # to the nominators, when the 好人榜 is published
    ROUND_OPENED = "nomination.round_opened"  # to the nominators of a round's candidates
    NEW = "nomination.new"  # to the campaign staff
    SUPPLEMENTED = "nomination.supplemented"  # to the campaign staff


async def tell_nominators(
    session: AsyncSession,
    notices: Iterable[Notice],
    text_of: Callable[[Notice], str],
    *,
    kind: Owed,
    skip: int | None = None,
    priority: Priority = Priority.OWED,
) -> None:
    """Each notice to its nominator (``skip``: the one who acted, answered directly instead)."""
    for notice in notices:
        if notice.user_id != skip:
            await notify.person(session, notice.user_id, text_of(notice), kind=kind, priority=priority)
