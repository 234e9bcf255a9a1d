"""好人推荐: nominations, review, public voting rounds, the published honour roll (好人榜).

Status changes go through ``change_status`` only, which checks ``NOMINATION_TRANSITIONS`` (the one
place they are written down) and returns who must be told; handlers do the telling.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models import (
    Nomination,
    NominationKind,
    NominationStatus,
    User,
    Vote,
    VotingRound,
)
from bot.services import DomainError, NotFound, audit, privacy
from bot.services.privacy import normalize_mobile
from bot.services.users import Actor, ensure_user, require_campaign_staff
from bot.timeutil import DEFAULT_TZ, format_local, local, utcnow

NAME_MAX = 32
COMMUNITY_MAX = 64
STORY_MIN = 30
STORY_MAX = 1500
SUPPLEMENT_MAX = 800
REASON_MAX = 300
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
ROUND_TITLE_MAX = 64
# Stuffing signals in vote statistics.
NEW_ACCOUNT_HOURS = 24
BURST_SECONDS = 60
BURST_VOTES = 5


class InvalidNomination(DomainError):
    """A field of a nomination cannot be accepted; the message says how to fix it."""


class TransitionNotAllowed(DomainError):
    """The nomination is not in a status from which the requested change is allowed."""


class VoteRefused(DomainError):
    """Voting outside the window, for a non-candidate, or a second time."""


class AlreadyVoted(VoteRefused):
    pass


# ------------------------------------------------------------------ input rules
def normalise(value: str) -> str:
    """For matching people: full-width → half-width, no whitespace or punctuation, case-folded."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def nominee_key(name: str, community: str) -> str:
    return f"{normalise(name)}|{normalise(community)}"[:200]


def check_story(story: str) -> str:
    story = story.strip()
    if len(story) < STORY_MIN:
        raise InvalidNomination(texts.NOM_STORY_TOO_SHORT.format(length=len(story), min=STORY_MIN))
    if len(story) > STORY_MAX:
        raise InvalidNomination(texts.NOM_STORY_TOO_LONG.format(length=len(story), max=STORY_MAX))
    return story


def check_photo_size(size: int | None) -> None:
    if size is not None and size > MAX_PHOTO_BYTES:
        raise InvalidNomination(
            texts.NOM_PHOTO_TOO_LARGE.format(
                size=f"{size / 1024 / 1024:.1f}", limit=MAX_PHOTO_BYTES // 1024 // 1024
            )
        )


def check_phone(raw: str) -> str:
    phone = normalize_mobile(raw)
    if phone is None:
        raise InvalidNomination(texts.NOM_BAD_PHONE)
    return phone


def mask_phone(phone: str | None) -> str:
    return privacy.mask_phone(phone) if phone else texts.NOM_NONE


def kind_name(kind: NominationKind) -> str:
    return texts.NOMINATION_KIND_NAMES[kind.value]


def status_name(status: NominationStatus) -> str:
    return texts.NOMINATION_STATUS_NAMES[status.value]


# ------------------------------------------------------------------ submitting
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
        raise InvalidNomination(texts.NOM_ASK_NAME)
    if not normalise(community) or len(community) > COMMUNITY_MAX:
        raise InvalidNomination(texts.NOM_ASK_COMMUNITY)
    story = check_story(story)
    if len(photos) > MAX_PHOTOS:
        raise InvalidNomination(texts.NOM_PHOTO_LIMIT.format(max=MAX_PHOTOS))
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


# ------------------------------------------------------------------ following one's nominations
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


async def _notices_for(session: AsyncSession, nomination: Nomination) -> list[Notice]:
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


async def _get_locked(session: AsyncSession, nomination_id: int) -> Nomination:
    nomination = await session.scalar(
        select(Nomination).where(Nomination.id == nomination_id).with_for_update()
    )
    if nomination is None:
        raise NotFound(texts.NOM_NOT_FOUND)
    return nomination


async def _transition(
    session: AsyncSession, nomination: Nomination, target: NominationStatus, reason: str | None
) -> StatusChange:
    old = nomination.status
    if not old.can_become(target):
        raise TransitionNotAllowed(
            texts.NOM_BAD_TRANSITION.format(current=status_name(old), target=status_name(target))
        )
    nomination.status = target
    nomination.status_reason = reason
    nomination.updated_at = utcnow()
    await session.flush()
    return StatusChange(nomination, old, target, await _notices_for(session, nomination))


async def change_status(
    session: AsyncSession,
    actor: Actor,
    nomination_id: int,
    target: NominationStatus,
    reason: str | None = None,
) -> StatusChange:
    """A staff decision (入围 / 驳回 / 退回补充 / 审定); audit-logged; says whom to notify."""
    require_campaign_staff(actor)
    if reason is not None:
        reason = reason.strip()[:REASON_MAX] or None
    nomination = await _get_locked(session, nomination_id)
    if nomination.parent_id is not None:
        raise TransitionNotAllowed(texts.NOM_NOT_FOUND)
    change = await _transition(session, nomination, target, reason)
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


async def supplement(session: AsyncSession, user_id: int, nomination_id: int, addition: str) -> StatusChange:
    """The nominator adds what staff asked for; the nomination goes back to review."""
    nomination = await _get_locked(session, nomination_id)
    if nomination.nominator_id != user_id or nomination.status is not NominationStatus.NEEDS_MORE_INFO:
        raise NotFound(texts.NOM_NOT_YOURS)
    addition = addition.strip()[:SUPPLEMENT_MAX]
    stamp = format_local(utcnow(), fmt="%m-%d")
    nomination.story = f"{nomination.story}\n【{stamp} 补充】{addition}"
    return await _transition(session, nomination, NominationStatus.SUBMITTED, None)


async def my_nominations(session: AsyncSession, user_id: int) -> list[tuple[Nomination, Nomination | None]]:
    """The user's nominations, newest first, each with the primary it joined (if any)."""
    rows = list(
        await session.scalars(
            select(Nomination).where(Nomination.nominator_id == user_id).order_by(Nomination.id.desc())
        )
    )
    parents = {p.id: p for p in await _by_ids(session, {n.parent_id for n in rows if n.parent_id})}
    return [(n, parents.get(n.parent_id) if n.parent_id else None) for n in rows]


async def _by_ids(session: AsyncSession, ids: set[int]) -> Sequence[Nomination]:
    if not ids:
        return []
    return (await session.scalars(select(Nomination).where(Nomination.id.in_(ids)))).all()


async def get_nomination(session: AsyncSession, nomination_id: int) -> Nomination:
    nomination = await session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(texts.NOM_NOT_FOUND)
    return nomination


# ------------------------------------------------------------------ the staff queue
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
    limit: int = 10,
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


# ------------------------------------------------------------------ voting rounds
async def open_round(
    session: AsyncSession, actor: Actor, title: str, starts_at: datetime, ends_at: datetime
) -> tuple[VotingRound, int]:
    require_campaign_staff(actor)
    title = title.strip()[:ROUND_TITLE_MAX]
    # Stored as UTC: the SQLite column keeps no offset, so a local time would read back shifted.
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    now = utcnow()
    if not title or ends_at <= starts_at or ends_at <= now:
        raise DomainError(texts.NOM_ROUND_BAD_TIME)
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
        raise DomainError(texts.NOM_ROUND_OVERLAP.format(title=overlapping.title))
    candidates = await _shortlisted(session)
    if not candidates:
        raise DomainError(texts.NOM_ROUND_NO_SHORTLIST)
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
    session: AsyncSession, actor: Actor
) -> tuple[VotingRound, list[tuple[Nomination, int]]]:
    """End the current round now; returns the tally, highest first."""
    require_campaign_staff(actor)
    voting_round = await active_round(session)
    if voting_round is None:
        raise NotFound(texts.NOM_ROUND_NONE_OPEN)
    now = utcnow()
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
    session: AsyncSession, voter_id: int, round_id: int, nomination_id: int, now: datetime | None = None
) -> int:
    """One 👍 per voter per nominee per round; returns the nominee's new count.

    The unique constraint decides races (two taps at once): the loser gets ``AlreadyVoted`` and its
    transaction must be rolled back (as the caller's ``transaction`` does on any exception).
    """
    now = now or utcnow()
    voting_round = await session.get(VotingRound, round_id)
    if voting_round is None:
        raise VoteRefused(texts.NOM_VOTE_ENDED)
    if voting_round.closed_at is not None or now >= voting_round.ends_at:
        raise VoteRefused(texts.NOM_VOTE_ENDED)
    if now < voting_round.starts_at:
        raise VoteRefused(texts.NOM_VOTE_NOT_STARTED.format(start=format_local(voting_round.starts_at)))
    nomination = await session.get(Nomination, nomination_id)
    if nomination is None or nomination.status is not NominationStatus.SHORTLISTED:
        raise VoteRefused(texts.NOM_VOTE_NOT_CANDIDATE)
    await ensure_user(session, voter_id)
    existing = await session.scalar(
        select(Vote.id).where(
            Vote.round_id == round_id, Vote.nomination_id == nomination_id, Vote.voter_id == voter_id
        )
    )
    if existing is not None:
        raise AlreadyVoted(texts.NOM_ALREADY_VOTED)
    session.add(Vote(round_id=round_id, nomination_id=nomination_id, voter_id=voter_id, created_at=now))
    try:
        await session.flush()
    except IntegrityError as error:
        # Lost a race with a second tap: the caller's transaction is rolled back, nothing is counted twice.
        raise AlreadyVoted(texts.NOM_ALREADY_VOTED) from error
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
    per_hour: list[tuple[str, int]]  # local "MM-DD HH时" → valid votes


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
        raise NotFound(texts.NOM_STATS_NO_ROUND)
    rows = (
        await session.execute(
            select(Vote.nomination_id, Vote.voter_id, Vote.created_at, Vote.voided, User.created_at)
            .outerjoin(User, User.id == Vote.voter_id)
            .where(Vote.round_id == voting_round.id)
            .order_by(Vote.created_at)
        )
    ).all()
    # Bucket by UTC hour first; only the distinct buckets are converted to local labels (cheap).
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
    nominations = {n.id: n for n in await _by_ids(session, set(per_nominee))}
    labels: dict[datetime, str] = {}
    nominees = []
    for nid, hours in per_nominee.items():
        if nid not in nominations:
            continue
        per_hour = []
        for hour, count in sorted(hours.items()):
            if hour not in labels:
                labels[hour] = f"{local(hour, tz):%m-%d %H}时"
            per_hour.append((labels[hour], count))
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
        raise NotFound(texts.NOM_STATS_NO_ROUND)
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


# ------------------------------------------------------------------ the honour roll
@dataclass(frozen=True)
class Publication:
    month: str
    nominations: list[Nomination]
    changes: list[StatusChange]


async def publish(
    session: AsyncSession, actor: Actor, now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ
) -> Publication:
    """Every approved (审定) nominee goes onto this month's 好人榜."""
    require_campaign_staff(actor)
    now = now or utcnow()
    month = f"{local(now, tz):%Y-%m}"
    approved = list(
        await session.scalars(
            select(Nomination)
            .where(Nomination.status == NominationStatus.APPROVED, Nomination.parent_id.is_(None))
            .order_by(Nomination.kind, Nomination.id)
            .with_for_update()
        )
    )
    if not approved:
        raise NotFound(texts.NOM_PUBLISH_NONE)
    changes = []
    for nomination in approved:
        nomination.published_at = now
        nomination.honor_month = month
        changes.append(await _transition(session, nomination, NominationStatus.PUBLISHED, None))
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


# ------------------------------------------------------------------ /mydata and /forget
async def export_for_user(session: AsyncSession, user_id: int) -> dict[str, Any]:
    nominations = await session.scalars(select(Nomination).where(Nomination.nominator_id == user_id))
    votes = await session.scalar(select(func.count()).select_from(Vote).where(Vote.voter_id == user_id))
    return {
        "nominations": [
            {
                "number": n.number,
                "kind": n.kind.value,
                "nominee_name": n.nominee_name,
                "community": n.community,
                "story": n.story,
                "photos": n.photos,
                "contact": n.nominator_contact,
                "may_contact": n.may_contact,
                "status": n.status.value,
                "created_at": n.created_at.isoformat(),
            }
            for n in nominations
        ],
        "votes_cast": int(votes or 0),
    }


async def erase_for_user(session: AsyncSession, user_id: int) -> None:
    """The nominations stay (they are about someone else); the link to the nominator goes."""
    await session.execute(
        update(Nomination)
        .where(Nomination.nominator_id == user_id)
        .values(nominator_id=None, nominator_contact=None)
    )
    await session.execute(update(Vote).where(Vote.voter_id == user_id).values(voter_id=None))
