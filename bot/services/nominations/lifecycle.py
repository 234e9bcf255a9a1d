"""A nomination's status changes and who is owed a notice of each.

Every status change goes through ``transition``, which checks ``NOMINATION_TRANSITIONS`` (the one
place they are written down, ``bot.models.nominations``) and returns the notices; the face sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationStatus
from bot.services.nominations.errors import NominationNotFound, NominationProblem, TransitionNotAllowed
from bot.timeutil import utcnow


@dataclass(frozen=True)
class Notice:
    """One message owed to a nominator about a status change."""

    user_id: int
    nominee_name: str
    number: str
    status: NominationStatus
    reason: str | None
    via_parent: str | None = None  # the primary's number, for a supporting nominator


@dataclass
class StatusChange:
    nomination: Nomination
    old: NominationStatus
    new: NominationStatus
    notices: list[Notice] = field(default_factory=list)


async def notices_for(session: AsyncSession, nomination: Nomination) -> list[Notice]:
    """The nominator, and every other nominator of the same person (their nominations joined it)."""
    notices = []
    if nomination.nominator_id is not None:
        notices.append(
            Notice(
                nomination.nominator_id,
                nomination.nominee_name,
                nomination.number or "",
                nomination.status,
                nomination.status_reason,
            )
        )
    supporters = await session.scalars(
        select(Nomination).where(Nomination.parent_id == nomination.id, Nomination.nominator_id.is_not(None))
    )
    seen = {nomination.nominator_id}
    for supporter in supporters:
        if supporter.nominator_id in seen or supporter.nominator_id is None:
            continue
        seen.add(supporter.nominator_id)
        notices.append(
            Notice(
                supporter.nominator_id,
                supporter.nominee_name,
                supporter.number or "",
                nomination.status,
                nomination.status_reason,
                via_parent=nomination.number,
            )
        )
    return notices


async def get_locked(session: AsyncSession, nomination_id: int) -> Nomination:
    """The nomination, locked for the change about to be made."""
    nomination = await session.scalar(
        select(Nomination).where(Nomination.id == nomination_id).with_for_update()
    )
    if nomination is None:
        raise NominationNotFound(NominationProblem.NOT_FOUND)
    return nomination


async def get_nomination(session: AsyncSession, nomination_id: int) -> Nomination:
    nomination = await session.get(Nomination, nomination_id)
    if nomination is None:
        raise NominationNotFound(NominationProblem.NOT_FOUND)
    return nomination


async def by_ids(session: AsyncSession, ids: set[int]) -> Sequence[Nomination]:
    if not ids:
        return []
    return (await session.scalars(select(Nomination).where(Nomination.id.in_(ids)))).all()


def check_transition(nomination: Nomination, target: NominationStatus) -> None:
    if not nomination.status.can_become(target):
        raise TransitionNotAllowed(nomination.status, target)


async def transition(
    session: AsyncSession,
    nomination: Nomination,
    target: NominationStatus,
    reason: str | None,
    now: datetime | None = None,
) -> StatusChange:
    """Move ``nomination`` to ``target`` (if allowed) with ``reason``; says whom to tell."""
    old = nomination.status
    check_transition(nomination, target)
    nomination.status = target
    nomination.status_reason = reason
    nomination.updated_at = now or utcnow()
    await session.flush()
    return StatusChange(nomination, old, target, await notices_for(session, nomination))
