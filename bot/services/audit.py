"""The audit log: record staff actions, list them with filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry
from bot.timeutil import utcnow


async def record(
    session: AsyncSession, actor_id: int | None, action: str, target: str = "", **details: Any
) -> AuditEntry:
    """Add one entry in the caller's transaction, so the log and the change land together."""
    entry = AuditEntry(
        actor_id=actor_id, action=action, target=target[:128], details=details, created_at=utcnow()
    )
    session.add(entry)
    return entry


async def latest(
    session: AsyncSession,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    limit: int = 20,
) -> Sequence[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    return (await session.scalars(query)).all()
