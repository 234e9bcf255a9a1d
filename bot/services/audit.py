"""The audit log: record staff actions, list them with filters; what /mydata and /forget do with it.

Actions named ``<feature>.refused`` record a press that a role check or a rule refused (a resident
pressing a forged staff button, a handler pressing another department's card).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry, User
from bot.timeutil import utcnow

REFUSED_SUFFIX = ".refused"


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


async def export_user(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    """/mydata: the entries that name the person as the one who acted."""
    entries = await session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(AuditEntry.id)
    )
    return [{"action": e.action, "target": e.target, "created_at": e.created_at.isoformat()} for e in entries]


async def erase_user(session: AsyncSession, user_id: int) -> None:
    """/forget: a resident's refused presses no longer carry their id. Staff keep theirs — what
    staff did, and tried to do, stays accountable after they leave."""
    user = await session.get(User, user_id)
    if user is not None and user.role.is_staff:
        return
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == user_id, AuditEntry.action.endswith(REFUSED_SUFFIX, autoescape=True))
        .values(actor_id=None)
    )
