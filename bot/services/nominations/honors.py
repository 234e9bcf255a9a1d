"""The honour roll (好人榜): approved nominees published by month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationKind, NominationStatus
from bot.services import audit
from bot.services.nominations.errors import NominationNotFound, NominationProblem
from bot.services.nominations.lifecycle import StatusChange, transition
from bot.services.users import Actor, require_campaign_staff
from bot.timeutil import DEFAULT_TZ, local, utcnow


@dataclass(frozen=True)
class Publication:
    month: str
    nominations: list[Nomination]
    changes: list[StatusChange]


async def publishable(
    session: AsyncSession, actor: Actor, now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ
) -> Publication:
    """What ``publish`` would put on the roll now (nothing changes): for staff to confirm."""
    require_campaign_staff(actor)
    month = f"{local(now or utcnow(), tz):%Y-%m}"
    approved = await _approved(session)
    if not approved:
        raise NominationNotFound(NominationProblem.NOTHING_TO_PUBLISH)
    return Publication(month, approved, [])


async def _approved(session: AsyncSession, *, lock: bool = False) -> list[Nomination]:
    query = (
        select(Nomination)
        .where(Nomination.status == NominationStatus.APPROVED, Nomination.parent_id.is_(None))
        .order_by(Nomination.kind, Nomination.id)
    )
    return list(await session.scalars(query.with_for_update() if lock else query))


async def publish(
    session: AsyncSession, actor: Actor, now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ
) -> Publication:
    """Every approved (审定) nominee goes onto this month's 好人榜."""
    require_campaign_staff(actor)
    now = now or utcnow()
    month = f"{local(now, tz):%Y-%m}"
    approved = await _approved(session, lock=True)
    if not approved:
        raise NominationNotFound(NominationProblem.NOTHING_TO_PUBLISH)
    changes = []
    for nomination in approved:
        nomination.published_at = now
        nomination.honor_month = month
        changes.append(await transition(session, nomination, NominationStatus.PUBLISHED, None, now))
    await audit.record(
        session,
        actor.user_id,
        "nomination.publish",
        month,
        numbers=[n.number for n in approved],
    )
    return Publication(month, approved, changes)


@dataclass(frozen=True)
class HonorRoll:
    month: str | None
    months: list[str]
    by_kind: list[tuple[NominationKind, list[Nomination]]]


async def honor_roll(session: AsyncSession, month: str | None = None) -> HonorRoll:
    """One month's published 好人榜 (the latest by default), grouped by kind."""
    months = [
        m
        for m in await session.scalars(
            select(Nomination.honor_month)
            .where(Nomination.status == NominationStatus.PUBLISHED, Nomination.honor_month.is_not(None))
            .distinct()
            .order_by(Nomination.honor_month.desc())
        )
        if m
    ]
    if not months:
        return HonorRoll(None, [], [])
    chosen = month if month in months else months[0]
    rows = await session.scalars(
        select(Nomination)
        .where(Nomination.status == NominationStatus.PUBLISHED, Nomination.honor_month == chosen)
        .order_by(Nomination.id)
    )
    grouped: dict[NominationKind, list[Nomination]] = defaultdict(list)
    for nomination in rows:
        grouped[nomination.kind].append(nomination)
    return HonorRoll(chosen, months, [(k, grouped[k]) for k in NominationKind if grouped.get(k)])
