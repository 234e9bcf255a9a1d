"""A resident's data: export it all (/mydata) and erase it (/forget).

Each feature registers an exporter and an eraser for its own tables at import time (see
``handlers/__init__.py``), so this module never needs to know every table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import User
from bot.services.users import subscribed_topics
from bot.timeutil import utcnow

Exporter = Callable[[AsyncSession, int], Awaitable[Any]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register(section: str, exporter: Exporter, eraser: Eraser) -> None:
    """Register one feature's export and erase functions under a section name of the export."""
    _exporters[section] = exporter
    _erasers[section] = eraser


async def export_user_data(session: AsyncSession, user_id: int) -> dict[str, Any]:
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
    for section, exporter in sorted(_exporters.items()):
        document[section] = await exporter(session, user_id)
    return document


async def forget_user(session: AsyncSession, user_id: int) -> None:
    """Erase a user's personal data. Features anonymise what must stay (e.g. complaint text)."""
    for eraser in _erasers.values():
        await eraser(session, user_id)
    # The audit log keeps its actor ids: staff accountability outlives a /forget.
    user = await session.get(User, user_id)
    if user is not None:
        await session.delete(user)
    await session.flush()
