"""Public voting rounds over the shortlist: opening and closing them, votes, and spotting stuffing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Nomination, NominationStatus, User, Vote, VotingRound
from bot.services import audit
from bot.services.nominations.errors import (
    AlreadyVoted,
    NominationNotFound,
    NominationProblem,
    RoundRefused,
    VoteRefused,
)
from bot.services.nominations.lifecycle import Notice, by_ids, notices_for
from bot.services.users import Actor, ensure_user, require_campaign_staff
from bot.timeutil import DEFAULT_TZ, local, utcnow

ROUND_TITLE_MAX = 64
# Stuffing signals in vote statistics.
NEW_ACCOUNT_HOURS = 24
BURST_SECONDS = 60
BURST_VOTES = 5


# ------------------------------------------------------------------ rounds
async def open_round(
    session: AsyncSession,
    actor: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime | None = None,
) -> tuple[VotingRound, int]:
    """A round over the current shortlist; returns it and how many candidates it has."""
    require_campaign_staff(actor)
    title = title.strip()[:ROUND_TITLE_MAX]
    # Stored as UTC: the SQLite column keeps no offset, so a local time would read back shifted.
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    now = now or utcnow()
    if not title or ends_at <= starts_at or ends_at <= now:
        raise RoundRefused(NominationProblem.ROUND_BAD_TIME)
    overlapping = await session.scalar(
        select(VotingRound)
        .where(
            VotingRound.closed_at.is_(None),
            VotingRound.starts_at < ends_at,
            VotingRound.ends_at > starts_at,
        )
        .limit(1)
    )
    if overlapping is not None:
        raise RoundRefused(NominationProblem.ROUND_OVERLAP, title=overlapping.title)
    candidates = await _shortlisted(session)
    if not candidates:
        raise RoundRefused(NominationProblem.ROUND_NO_SHORTLIST)
    voting_round = VotingRound(
        title=title, starts_at=starts_at, ends_at=ends_at, opened_by=actor.user_id, created_at=now
    )
    session.add(voting_round)
    await session.flush()
    await audit.record(
        session,
        actor.user_id,
        "nomination.round_open",
        str(voting_round.id),
        title=title,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return voting_round, len(candidates)


async def candidate_notices(session: AsyncSession) -> list[Notice]:
    """Whom a round's opening is owed to: the nominators of every candidate (the shortlist), and
    the nominators whose nominations joined one."""
    return [
        notice
        for nomination in await _shortlisted(session)
        for notice in await notices_for(session, nomination)
    ]


async def active_round(session: AsyncSession, now: datetime | None = None) -> VotingRound | None:
    """The round open now, else the next one not yet started (for a 'not started' answer)."""
    now = now or utcnow()
    return await session.scalar(
        select(VotingRound)
        .where(VotingRound.closed_at.is_(None), VotingRound.ends_at > now)
        .order_by(VotingRound.starts_at)
        .limit(1)
    )


async def latest_round(session: AsyncSession) -> VotingRound | None:
    return await session.scalar(select(VotingRound).order_by(VotingRound.id.desc()).limit(1))


async def close_round(
    session: AsyncSession, actor: Actor, now: datetime | None = None
) -> tuple[VotingRound, list[tuple[Nomination, int]]]:
    """End the current round now; returns the tally, highest first."""
    require_campaign_staff(actor)
    now = now or utcnow()
    voting_round = await active_round(session, now)
    if voting_round is None:
        raise NominationNotFound(NominationProblem.NO_OPEN_ROUND)
    voting_round.closed_at = now
    voting_round.ends_at = min(voting_round.ends_at, now)
    await audit.record(session, actor.user_id, "nomination.round_close", str(voting_round.id))
    return voting_round, await tally(session, voting_round.id)


async def _shortlisted(session: AsyncSession) -> list[Nomination]:
    return list(
        await session.scalars(
            select(Nomination)
            .where(Nomination.status == NominationStatus.SHORTLISTED, Nomination.parent_id.is_(None))
            .order_by(Nomination.kind, Nomination.id)
        )
    )


# ------------------------------------------------------------------ votes
async def ballot(session: AsyncSession, voting_round: VotingRound) -> list[tuple[Nomination, int]]:
    """The candidates of a round (the shortlist) with their live counts."""
    candidates = await _shortlisted(session)
    counts = await vote_counts(session, voting_round.id, [c.id for c in candidates])
    return [(c, counts.get(c.id, 0)) for c in candidates]


async def vote_counts(session: AsyncSession, round_id: int, nomination_ids: Sequence[int]) -> dict[int, int]:
    if not nomination_ids:
        return {}
    rows = await session.execute(
        select(Vote.nomination_id, func.count())
        .where(Vote.round_id == round_id, Vote.nomination_id.in_(nomination_ids), Vote.voided.is_(False))
        .group_by(Vote.nomination_id)
    )
    return {int(nomination_id): int(count) for nomination_id, count in rows.all()}


async def tally(session: AsyncSession, round_id: int) -> list[tuple[Nomination, int]]:
    rows = await session.execute(
        select(Nomination, func.count(Vote.id))
        .join(Vote, Vote.nomination_id == Nomination.id)
        .where(Vote.round_id == round_id, Vote.voided.is_(False))
        .group_by(Nomination.id)
        .order_by(func.count(Vote.id).desc(), Nomination.id)
    )
    return [(nomination, int(count)) for nomination, count in rows.all()]


async def cast_vote(
    session: AsyncSession,
    voter_id: int,
    round_id: int,
    nomination_id: int,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> int:
    """One 👍 per voter per nominee per round; returns the nominee's new count.

    The unique constraint decides races (two taps at once): the loser gets ``AlreadyVoted`` and its
    transaction must be rolled back (as the caller's ``transaction`` does on any exception).
    """
    now = now or utcnow()
    voting_round = await session.get(VotingRound, round_id)
    if voting_round is None:
        raise VoteRefused(NominationProblem.VOTE_ENDED)
    if voting_round.closed_at is not None or now >= voting_round.ends_at:
        raise VoteRefused(NominationProblem.VOTE_ENDED)
    if now < voting_round.starts_at:
        raise VoteRefused(NominationProblem.VOTE_NOT_STARTED, start=local(voting_round.starts_at, tz))
    nomination = await session.get(Nomination, nomination_id)
    if nomination is None or nomination.status is not NominationStatus.SHORTLISTED:
        raise VoteRefused(NominationProblem.NOT_CANDIDATE)
    await ensure_user(session, voter_id)
    existing = await session.scalar(
        select(Vote.id).where(
            Vote.round_id == round_id, Vote.nomination_id == nomination_id, Vote.voter_id == voter_id
        )
    )
    if existing is not None:
        raise AlreadyVoted()
    session.add(Vote(round_id=round_id, nomination_id=nomination_id, voter_id=voter_id, created_at=now))
    try:
        await session.flush()
    except IntegrityError as error:
        # Lost a race with a second tap: the caller's transaction is rolled back, nothing is counted twice.
        raise AlreadyVoted() from error
    return (await vote_counts(session, round_id, [nomination_id])).get(nomination_id, 0)


# ------------------------------------------------------------------ spotting stuffing
@dataclass(frozen=True)
class Suspect:
    voter_id: int
    votes: int
    new_account: bool
    burst: int  # most votes within BURST_SECONDS (0 when below the threshold)


@dataclass(frozen=True)
class NomineeTimeline:
    nomination: Nomination
    votes: int
    per_hour: list[tuple[datetime, int]]  # the local hour → valid votes in it, in order


@dataclass(frozen=True)
class VoteStats:
    voting_round: VotingRound
    valid: int
    voided: int
    nominees: list[NomineeTimeline]
    suspects: list[Suspect]


async def vote_stats(
    session: AsyncSession, actor: Actor, round_id: int | None = None, tz: ZoneInfo = DEFAULT_TZ
) -> VoteStats:
    """Votes per hour per nominee, and accounts that look fake: brand new, or voting in bursts."""
    require_campaign_staff(actor)
    voting_round = (
        await session.get(VotingRound, round_id) if round_id is not None else await latest_round(session)
    )
    if voting_round is None:
        raise NominationNotFound(NominationProblem.NO_ROUND)
    rows = (
        await session.execute(
            select(Vote.nomination_id, Vote.voter_id, Vote.created_at, Vote.voided, User.created_at)
            .outerjoin(User, User.id == Vote.voter_id)
            .where(Vote.round_id == voting_round.id)
            .order_by(Vote.created_at)
        )
    ).all()
    # Bucket by UTC hour first; only the distinct buckets are converted to local time (cheap).
    per_nominee: dict[int, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    by_voter: dict[int, list[datetime]] = defaultdict(list)
    new_accounts: set[int] = set()
    valid = voided = 0
    for nomination_id, voter_id, created_at, is_voided, joined_at in rows:
        if is_voided:
            voided += 1
            continue
        valid += 1
        per_nominee[nomination_id][created_at.replace(minute=0, second=0, microsecond=0)] += 1
        if voter_id is None:
            continue
        by_voter[voter_id].append(created_at)
        if joined_at is not None and created_at - joined_at < timedelta(hours=NEW_ACCOUNT_HOURS):
            new_accounts.add(voter_id)
    suspects = []
    for voter_id, times in by_voter.items():
        burst = _max_in_window(times, timedelta(seconds=BURST_SECONDS))
        burst = burst if burst >= BURST_VOTES else 0
        if burst or voter_id in new_accounts:
            suspects.append(Suspect(voter_id, len(times), voter_id in new_accounts, burst))
    suspects.sort(key=lambda s: (-s.burst, -s.votes, s.voter_id))
    nominations = {n.id: n for n in await by_ids(session, set(per_nominee))}
    local_hours: dict[datetime, datetime] = {}
    nominees = []
    for nid, hours in per_nominee.items():
        if nid not in nominations:
            continue
        per_hour = []
        for hour, count in sorted(hours.items()):
            if hour not in local_hours:
                local_hours[hour] = local(hour, tz)
            per_hour.append((local_hours[hour], count))
        nominees.append(NomineeTimeline(nominations[nid], sum(hours.values()), per_hour))
    nominees.sort(key=lambda t: (-t.votes, t.nomination.id))
    return VoteStats(voting_round, valid, voided, nominees, suspects)


def _max_in_window(times: list[datetime], window: timedelta) -> int:
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def void_votes(session: AsyncSession, actor: Actor, round_id: int, voter_ids: Sequence[int]) -> int:
    """Void every vote of the chosen accounts in a round (they stay stored, for the record)."""
    require_campaign_staff(actor)
    if await session.get(VotingRound, round_id) is None:
        raise NominationNotFound(NominationProblem.NO_ROUND)
    result = await session.execute(
        update(Vote)
        .where(Vote.round_id == round_id, Vote.voter_id.in_(list(voter_ids)), Vote.voided.is_(False))
        .values(voided=True, voided_by=actor.user_id)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    await audit.record(
        session, actor.user_id, "nomination.void_votes", str(round_id), voters=list(voter_ids), count=count
    )
    return count
