"""Near-duplicate nominations: the same person written differently ("陈 桂英 / 首义社区" and
"陈桂英 / 武昌区首义社区"), which the exact key of ``submit_nomination`` cannot join. Staff see them
side by side and merge one into the other (it becomes a supporting nomination).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationStatus
from bot.services import audit
from bot.services.nominations.errors import NominationNotFound, NominationProblem, TransitionNotAllowed
from bot.services.nominations.lifecycle import Notice, get_locked, notices_for
from bot.services.nominations.rules import normalise
from bot.services.users import Actor, require_campaign_staff
from bot.services.volunteers.profiles import Districts
from bot.timeutil import utcnow

# A primary nomination in one of these can still take another's supporters.
MERGEABLE = (NominationStatus.SUBMITTED, NominationStatus.NEEDS_MORE_INFO, NominationStatus.SHORTLISTED)


def district_of(community: str, districts: Districts | None) -> str | None:
    """The district a community text names or lies in ("武昌区首义社区", or "首义社区" listed under 武昌区)."""
    if districts is None:
        return None
    text = normalise(community)
    for district in districts.districts:
        if normalise(district.name) in text or any(normalise(c) == text for c in district.communities):
            return district.name
    return None


def same_place(first: str, second: str, districts: Districts | None) -> bool:
    """One community name inside the other, or both in the same district."""
    a, b = normalise(first), normalise(second)
    if a and b and (a in b or b in a):
        return True
    district = district_of(first, districts)
    return district is not None and district == district_of(second, districts)


async def near_duplicates(
    session: AsyncSession, nominations: Sequence[Nomination], districts: Districts | None
) -> dict[int, Nomination]:
    """For each nomination shown, the earliest other primary nomination that looks like the same
    person: the same name ignoring spaces and punctuation, and the same place (``same_place``)."""
    found: dict[int, Nomination] = {}
    for nomination in nominations:
        if nomination.parent_id is not None or nomination.status not in MERGEABLE:
            continue
        name = normalise(nomination.nominee_name)
        others = await session.scalars(
            select(Nomination)
            .where(
                Nomination.nominee_key.startswith(f"{name}|", autoescape=True),
                Nomination.id != nomination.id,
                Nomination.parent_id.is_(None),
                Nomination.status.in_(MERGEABLE),
            )
            .order_by(Nomination.id)
        )
        match = next((o for o in others if same_place(o.community, nomination.community, districts)), None)
        if match is not None:
            found[nomination.id] = match
    return found


async def merge(
    session: AsyncSession, actor: Actor, nomination_id: int, into_id: int, now: datetime | None = None
) -> tuple[Nomination, Nomination, list[Notice]]:
    """``nomination`` becomes a supporting nomination of ``into`` (its own supporters follow it);
    returns both and the notices owed to the merged one's nominators. Audit-logged."""
    require_campaign_staff(actor)
    first, second = sorted((nomination_id, into_id))
    locked = {n.id: n for n in [await get_locked(session, first), await get_locked(session, second)]}
    nomination, into = locked[nomination_id], locked[into_id]
    if nomination_id == into_id or normalise(nomination.nominee_name) != normalise(into.nominee_name):
        raise NominationNotFound(NominationProblem.NOT_FOUND)
    for n in (nomination, into):
        if n.parent_id is not None or n.status not in MERGEABLE:
            raise TransitionNotAllowed(n.status, NominationStatus.SUPPORTING)
    notices = await notices_for(session, nomination)
    await session.execute(
        update(Nomination).where(Nomination.parent_id == nomination.id).values(parent_id=into.id)
    )
    nomination.status, nomination.parent_id = NominationStatus.SUPPORTING, into.id
    nomination.updated_at = now or utcnow()
    await session.flush()
    await audit.record(session, actor.user_id, "nomination.merge", str(nomination.id), into=into.number)
    return nomination, into, notices
