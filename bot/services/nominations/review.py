"""Staff review: the queue, the material behind a card, and decisions (入围 / 驳回 / 退回补充 / 审定)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationKind, NominationStatus
from bot.services import audit
from bot.services.nominations.errors import NominationNotFound, NominationProblem
from bot.services.nominations.lifecycle import (
    StatusChange,
    check_transition,
    get_locked,
    get_nomination,
    transition,
)
from bot.services.nominations.rules import REASON_MAX
from bot.services.nominations.voting import latest_round, vote_counts
from bot.services.users import Actor, require_campaign_staff

QUEUE_PAGE = 10  # cards shown per /nominations


async def decidable(session: AsyncSession, nomination_id: int, target: NominationStatus) -> Nomination:
    """The nomination a staff member is about to decide on (asked before the reason is typed)."""
    nomination = await get_nomination(session, nomination_id)
    check_transition(nomination, target)
    return nomination


async def change_status(
    session: AsyncSession,
    actor: Actor,
    nomination_id: int,
    target: NominationStatus,
    reason: str | None = None,
    now: datetime | None = None,
) -> StatusChange:
    """A staff decision (入围 / 驳回 / 退回补充 / 审定); audit-logged; says whom to notify."""
    require_campaign_staff(actor)
    if reason is not None:
        reason = reason.strip()[:REASON_MAX] or None
    nomination = await get_locked(session, nomination_id)
    if nomination.parent_id is not None:  # a supporting nomination moves with its primary only
        raise NominationNotFound(NominationProblem.NOT_FOUND)
    change = await transition(session, nomination, target, reason, now)
    nomination.reviewed_by = actor.user_id
    await audit.record(
        session,
        actor.user_id,
        f"nomination.{target.value}",
        nomination.number or str(nomination.id),
        old=change.old.value,
        reason=reason,
    )
    return change


@dataclass(frozen=True)
class QueuePage:
    total: int
    nominations: list[Nomination]
    supporters: dict[int, int]
    votes: dict[int, int]


async def review_queue(
    session: AsyncSession,
    actor: Actor,
    *,
    status: NominationStatus | None = NominationStatus.SUBMITTED,
    kind: NominationKind | None = None,
    limit: int = QUEUE_PAGE,
) -> QueuePage:
    """Primary nominations (supporting ones are counted on their primary), oldest first."""
    require_campaign_staff(actor)
    conditions: list[Any] = [Nomination.parent_id.is_(None)]
    if status is not None:
        conditions.append(Nomination.status == status)
    if kind is not None:
        conditions.append(Nomination.kind == kind)
    total = await session.scalar(select(func.count()).select_from(Nomination).where(*conditions)) or 0
    rows = list(
        await session.scalars(
            select(Nomination).where(*conditions).order_by(Nomination.created_at, Nomination.id).limit(limit)
        )
    )
    ids = [n.id for n in rows]
    supporters: dict[int, int] = {}
    if ids:
        counted = await session.execute(
            select(Nomination.parent_id, func.count())
            .where(Nomination.parent_id.in_(ids))
            .group_by(Nomination.parent_id)
        )
        supporters = {int(parent): int(count) for parent, count in counted.all() if parent is not None}
    latest = await latest_round(session)
    votes = await vote_counts(session, latest.id, ids) if latest else {}
    return QueuePage(int(total), rows, supporters, votes)


async def supporter_count(session: AsyncSession, nomination_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Nomination).where(Nomination.parent_id == nomination_id)
    )
    return int(count or 0)


async def review_material(
    session: AsyncSession, actor: Actor, nomination_id: int
) -> tuple[Nomination, list[Nomination]]:
    """A nomination with its supporting nominations (their stories and photos), for staff review."""
    require_campaign_staff(actor)
    nomination = await get_nomination(session, nomination_id)
    supporters = await session.scalars(
        select(Nomination).where(Nomination.parent_id == nomination.id).order_by(Nomination.id)
    )
    return nomination, list(supporters)
