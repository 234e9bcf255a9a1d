"""A resident's nominations: submitting one, following them, adding what staff asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationKind, NominationStatus
from bot.services.nominations.errors import InvalidNomination, NominationNotFound, NominationProblem
from bot.services.nominations.lifecycle import StatusChange, by_ids, get_locked, transition
from bot.services.nominations.rules import (
    COMMUNITY_MAX,
    MAX_PHOTOS,
    NAME_MAX,
    SUPPLEMENT_MAX,
    check_phone,
    check_story,
    nominee_key,
    normalise,
)
from bot.services.users import ensure_user
from bot.timeutil import DEFAULT_TZ, local, utcnow


@dataclass(frozen=True)
class Submission:
    nomination: Nomination
    parent: Nomination | None  # set when it joined an earlier nomination of the same person


async def _lock_key(session: AsyncSession, key: str) -> None:
    """Serialise submissions for one person, so two at once cannot both become the primary.

    SQLite transactions already begin IMMEDIATE (one writer at a time); PostgreSQL needs a lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


async def submit_nomination(
    session: AsyncSession,
    nominator_id: int,
    *,
    kind: NominationKind,
    nominee_name: str,
    community: str,
    story: str,
    photos: Sequence[str] = (),
    contact: str | None = None,
    may_contact: bool = False,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Submission:
    """Store a nomination; the same person (name + community) joins the first nomination of them."""
    now = now or utcnow()
    nominee_name, community = nominee_name.strip(), community.strip()
    if not normalise(nominee_name) or len(nominee_name) > NAME_MAX:
        raise InvalidNomination(NominationProblem.NAME_MISSING)
    if not normalise(community) or len(community) > COMMUNITY_MAX:
        raise InvalidNomination(NominationProblem.COMMUNITY_MISSING)
    story = check_story(story)
    if len(photos) > MAX_PHOTOS:
        raise InvalidNomination(NominationProblem.TOO_MANY_PHOTOS, max=MAX_PHOTOS)
    phone = check_phone(contact) if contact else None
    await ensure_user(session, nominator_id)
    key = nominee_key(nominee_name, community)
    await _lock_key(session, key)
    parent = await session.scalar(
        select(Nomination)
        .where(
            Nomination.nominee_key == key,
            Nomination.parent_id.is_(None),
            Nomination.status != NominationStatus.REJECTED,
        )
        .order_by(Nomination.id)
        .limit(1)
    )
    nomination = Nomination(
        kind=kind,
        nominee_name=nominee_name,
        community=community,
        nominee_key=key,
        story=story,
        photos=list(photos),
        nominator_id=nominator_id,
        nominator_contact=phone,
        may_contact=may_contact,
        status=NominationStatus.SUPPORTING if parent else NominationStatus.SUBMITTED,
        parent_id=parent.id if parent else None,
        created_at=now,
        updated_at=now,
    )
    session.add(nomination)
    await session.flush()
    nomination.number = f"HR-{local(now, tz):%Y%m%d}-{nomination.id:04d}"
    await session.flush()
    return Submission(nomination, parent)


async def my_nominations(session: AsyncSession, user_id: int) -> list[tuple[Nomination, Nomination | None]]:
    """The user's nominations, newest first, each with the primary it joined (if any)."""
    rows = list(
        await session.scalars(
            select(Nomination).where(Nomination.nominator_id == user_id).order_by(Nomination.id.desc())
        )
    )
    parents = {p.id: p for p in await by_ids(session, {n.parent_id for n in rows if n.parent_id})}
    return [(n, parents.get(n.parent_id) if n.parent_id else None) for n in rows]


async def supplementable(session: AsyncSession, user_id: int, nomination_id: int) -> Nomination:
    """The user's nomination that staff asked more of; NOT_YOURS for any other."""
    nomination = await session.get(Nomination, nomination_id)
    if (
        nomination is None
        or nomination.nominator_id != user_id
        or nomination.status is not NominationStatus.NEEDS_MORE_INFO
    ):
        raise NominationNotFound(NominationProblem.NOT_YOURS)
    return nomination


async def supplement(
    session: AsyncSession,
    user_id: int,
    nomination_id: int,
    addition: str,
    *,
    heading: str,
    now: datetime | None = None,
) -> StatusChange:
    """The nominator adds what staff asked for, under ``heading`` (the face's dated label), to the
    story; the nomination goes back to review."""
    nomination = await get_locked(session, nomination_id)
    if nomination.nominator_id != user_id or nomination.status is not NominationStatus.NEEDS_MORE_INFO:
        raise NominationNotFound(NominationProblem.NOT_YOURS)
    addition = addition.strip()[:SUPPLEMENT_MAX]
    nomination.story = f"{nomination.story}\n{heading}{addition}"
    return await transition(session, nomination, NominationStatus.SUBMITTED, None, now)
