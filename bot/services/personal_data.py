"""A resident's data: export it all (/mydata) and erase it (/forget).

Each feature declares a ``PersonalData`` section for its own tables in its manifest; the caller
passes the sections (``handlers.personal_data_sections()``), so this module never needs to know
every table and what is covered never depends on which modules happen to be imported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import User
from bot.services.users import subscribed_topics
from bot.timeutil import utcnow

Exporter = Callable[[AsyncSession, int], Awaitable[Any]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]


@dataclass(frozen=True)
class PersonalData:
    """One feature's part: ``export`` goes under ``section`` in /mydata; ``erase`` runs on /forget."""

    section: str
    export: Exporter
    erase: Eraser


async def export_user_data(
    session: AsyncSession, user_id: int, sections: Sequence[PersonalData]
) -> dict[str, Any]:
    user = await session.get(User, user_id)
    document: dict[str, Any] = {"telegram_id": user_id, "exported_at": utcnow().isoformat()}
    if user is not None:
        document["profile"] = {
            "display_name": user.display_name,
            "username": user.username,
            "role": user.role.value,
            "department": user.department,
            "first_seen": user.created_at.isoformat(),
            "consent_at": user.consent_at.isoformat() if user.consent_at else None,
        }
        document["subscriptions"] = sorted(t.value for t in await subscribed_topics(session, user_id))
    for part in sorted(sections, key=lambda p: p.section):
        document[part.section] = await part.export(session, user_id)
    return document


async def forget_user(session: AsyncSession, user_id: int, sections: Sequence[PersonalData]) -> None:
    """Erase a user's personal data. Features anonymise what must stay (e.g. complaint text)."""
    for part in sections:
        await part.erase(session, user_id)
    user = await session.get(User, user_id)
    if user is not None:
        await session.delete(user)
    await session.flush()
