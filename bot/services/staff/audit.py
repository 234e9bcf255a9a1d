"""Reading the audit log: filters (who, what, since) and pages, newest first.

Entries are written by ``bot.services.audit.record`` in the transaction of the change they log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry, User
from bot.services import DomainError
from bot.services.users import Actor, require_admin

AUDIT_PAGE_SIZE = 20


class AuditFilterProblem(StrEnum):
    BAD_DATE = "staff.audit_bad_date"  # value
    BAD_FILTER = "staff.audit_bad_filter"  # value


class AuditFilterError(DomainError):
    """An /audit filter that cannot be read."""

    def __init__(self, problem: AuditFilterProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


@dataclass(frozen=True)
class AuditFilter:
    """JSON-friendly (stored in user_data for the paging buttons)."""

    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "actor_id": self.actor_id,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> AuditFilter:
        since = data.get("since")
        actor_id = data.get("actor_id")
        action = data.get("action")
        return cls(
            actor_id=int(actor_id) if isinstance(actor_id, int) else None,
            action=str(action) if isinstance(action, str) else None,
            since=datetime.fromisoformat(since) if isinstance(since, str) else None,
        )


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[AuditEntry]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.entries) < self.total

    @property
    def newer_offset(self) -> int | None:
        """Where the page before this one (newer entries) starts; None on the first page."""
        return max(0, self.offset - AUDIT_PAGE_SIZE) if self.offset > 0 else None

    @property
    def older_offset(self) -> int | None:
        """Where the page after this one (older entries) starts; None on the last page."""
        return self.offset + len(self.entries) if self.has_more else None


async def audit_page(
    session: AsyncSession, actor: Actor, filters: AuditFilter, offset: int = 0, limit: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """One page of the audit log, newest first (an offset past the end gives the last entry's page)."""
    require_admin(actor)
    conditions = []
    if filters.actor_id is not None:
        conditions.append(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        conditions.append(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.since is not None:
        conditions.append(AuditEntry.created_at >= filters.since.astimezone(UTC))
    total = int(await session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0)
    offset = max(0, min(offset, max(total - 1, 0)))
    entries = (
        await session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
    ).all()
    return AuditPage(entries, offset, total)


async def display_names(session: AsyncSession, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows.all() if name}
