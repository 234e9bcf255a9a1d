"""What volunteers' changes owe others, written into the outbox inside the change's transaction.

A place freed by a cancellation or a larger capacity goes to the first on the waiting list, who is
told; everyone booked hears of a shift's change or cancellation; reminders and no-show notices come
from scheduled tasks. The sender delivers each after the commit (``bot.outbox``, docs/outbox.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import notify


class Owed(StrEnum):
    """The kinds of message volunteering owes (their names for staff: handlers.outbox.texts)."""

    PROMOTED = "volunteer.promoted"  # from the waiting list to a place
    SHIFT_CHANGED = "volunteer.shift_changed"
    SHIFT_CANCELLED = "volunteer.shift_cancelled"
    REMINDER = "volunteer.reminder"  # 24 h and 1 h before a shift
    NO_SHOW = "volunteer.no_show"


async def tell(session: AsyncSession, user_ids: Iterable[int], text: str, *, kind: Owed) -> int:
    """The same notice to each volunteer (once each); returns how many are owed it."""
    people = list(dict.fromkeys(user_ids))
    for user_id in people:
        await notify.person(session, user_id, text, kind=kind)
    return len(people)
