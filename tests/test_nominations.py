"""好人推荐 services: transitions, supporting nominations, votes (incl. races), stats, publication."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.database import transaction
from bot.models import (
    NOMINATION_TRANSITIONS,
    AudienceKind,
    AuditEntry,
    Nomination,
    NominationKind,
    NominationStatus,
    Role,
    Topic,
    User,
    Vote,
)
from bot.services import PermissionDenied, broadcasts, personal_data, users
from bot.services import nominations as service
from bot.services.nominations import (
    AlreadyVoted,
    InvalidNomination,
    NominationNotFound,
    NominationProblem,
    RoundRefused,
    TransitionNotAllowed,
    VoteRefused,
)
from bot.services.users import Actor
from bot.timeutil import utcnow

STAFF = Actor(900002, Role.STAFF)
RESIDENT = Actor(100001, Role.RESIDENT)
STORY = "张阿姨十年如一日照顾独居老人，每天送饭上门、陪老人聊天，还组织楼里的邻居轮流帮忙。"


async def nominate(
    session: AsyncSession, nominator: int, name: str = "张桂兰", community: str = "幸福里社区"
):
    return await service.submit_nomination(
        session,
        nominator,
        kind=NominationKind.HELPING_OTHERS,
        nominee_name=name,
        community=community,
        story=STORY,
        photos=["p1"],
        contact="138 0013 8000",
        may_contact=True,
    )


def test_transitions_are_written_down_once_and_lead_to_publication() -> None:
    allowed = {(a, b) for a, targets in NOMINATION_TRANSITIONS.items() for b in targets}
    assert set(NOMINATION_TRANSITIONS) == set(NominationStatus)
    for a in NominationStatus:
        for b in NominationStatus:
            assert a.can_become(b) == ((a, b) in allowed)
    S = NominationStatus
    assert S.SUBMITTED.can_become(S.SHORTLISTED) and S.SUBMITTED.can_become(S.REJECTED)
    assert S.SUBMITTED.can_become(S.NEEDS_MORE_INFO) and S.NEEDS_MORE_INFO.can_become(S.SUBMITTED)
    assert S.SHORTLISTED.can_become(S.APPROVED) and S.APPROVED.can_become(S.PUBLISHED)
    assert not S.SUBMITTED.can_become(S.PUBLISHED) and not S.SUBMITTED.can_become(S.APPROVED)
    for final in (S.REJECTED, S.PUBLISHED, S.SUPPORTING):
        assert NOMINATION_TRANSITIONS[final] == frozenset()


def test_input_rules() -> None:
    assert service.normalise(" 张　桂兰 ") == service.normalise("张桂兰")
    assert service.nominee_key("Li Ming", "ＡＢＣ社区") == service.nominee_key("liming", "abc 社区")
    with pytest.raises(InvalidNomination) as refused:
        service.check_story("短")
    assert refused.value.code == NominationProblem.STORY_TOO_SHORT and refused.value.params["length"] == 1
    with pytest.raises(InvalidNomination) as refused:
        service.check_story("好" * 5000)
    assert refused.value.code == NominationProblem.STORY_TOO_LONG
    assert service.check_story(STORY) == STORY
    with pytest.raises(InvalidNomination):
        service.check_photo_size(11 * 1024 * 1024)
    service.check_photo_size(9 * 1024 * 1024)
    assert service.check_phone("+86 138-0013-8000") == "13800138000"
    with pytest.raises(InvalidNomination):
        service.check_phone("12345")


async def test_same_person_joins_first_nomination(session: AsyncSession) -> None:
    first = await nominate(session, 1)
    second = await nominate(session, 2, name=" 张 桂兰", community="幸福里 社区")
    other = await nominate(session, 3, name="张桂兰", community="光明社区")
    assert first.parent is None and first.nomination.status is NominationStatus.SUBMITTED
    assert second.parent is not None and second.parent.id == first.nomination.id
    assert second.nomination.status is NominationStatus.SUPPORTING
    assert other.parent is None
    number = first.nomination.number or ""
    assert number.startswith("HR-") and number.endswith(f"-{first.nomination.id:04d}")
    assert first.nomination.nominator_contact == "13800138000"
    # Notices of a change reach the primary's nominator and every supporter.
    change = await service.change_status(session, STAFF, first.nomination.id, NominationStatus.SHORTLISTED)
    assert [(n.user_id, n.via_parent) for n in change.notices] == [(1, None), (2, first.nomination.number)]


async def test_a_rejected_person_can_be_nominated_afresh(session: AsyncSession) -> None:
    first = await nominate(session, 1)
    await service.change_status(session, STAFF, first.nomination.id, NominationStatus.REJECTED, "材料不实")
    again = await nominate(session, 2)
    assert again.parent is None and again.nomination.status is NominationStatus.SUBMITTED


async def test_change_status_rules_audit_and_reason(session: AsyncSession) -> None:
    nomination = (await nominate(session, 1)).nomination
    with pytest.raises(PermissionDenied):
        await service.change_status(session, RESIDENT, nomination.id, NominationStatus.SHORTLISTED)
    with pytest.raises(TransitionNotAllowed):
        await service.change_status(session, STAFF, nomination.id, NominationStatus.PUBLISHED)
    change = await service.change_status(
        session, STAFF, nomination.id, NominationStatus.NEEDS_MORE_INFO, "  请补充照片  "
    )
    assert change.old is NominationStatus.SUBMITTED and nomination.status_reason == "请补充照片"
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "nomination.needs_more_info"))
    assert entry is not None and entry.actor_id == STAFF.user_id and entry.target == nomination.number
    # Only the nominator may supplement, and only when asked.
    with pytest.raises(NominationNotFound):
        await service.supplement(session, 2, nomination.id, "补充", heading="【补充】")
    back = await service.supplement(session, 1, nomination.id, "附上邻居证明", heading="【补充】")
    assert back.new is NominationStatus.SUBMITTED and nomination.story.endswith("\n【补充】附上邻居证明")
    with pytest.raises(NominationNotFound):
        await service.supplement(session, 1, nomination.id, "再补充", heading="【补充】")


async def _shortlisted_round(session: AsyncSession, starts_in: timedelta = timedelta(minutes=-1)):
    nomination = (await nominate(session, 1)).nomination
    await service.change_status(session, STAFF, nomination.id, NominationStatus.SHORTLISTED)
    now = utcnow()
    voting_round, count = await service.open_round(
        session, STAFF, "十一月好人评选", now + starts_in, now + timedelta(hours=2)
    )
    assert count == 1
    return nomination, voting_round


async def test_votes_once_per_voter_within_the_window(session: AsyncSession) -> None:
    nomination, voting_round = await _shortlisted_round(session)
    now = utcnow()
    assert await service.cast_vote(session, 11, voting_round.id, nomination.id, now) == 1
    assert await service.cast_vote(session, 12, voting_round.id, nomination.id, now) == 2
    with pytest.raises(AlreadyVoted):
        await service.cast_vote(session, 11, voting_round.id, nomination.id, now)
    with pytest.raises(VoteRefused) as refused:
        await service.cast_vote(session, 13, voting_round.id, nomination.id, now + timedelta(hours=3))
    assert refused.value.code == NominationProblem.VOTE_ENDED
    with pytest.raises(VoteRefused) as refused:
        await service.cast_vote(session, 13, voting_round.id, nomination.id, now - timedelta(hours=1))
    assert refused.value.code == NominationProblem.VOTE_NOT_STARTED
    with pytest.raises(RoundRefused) as overlap:
        await service.open_round(session, STAFF, "重叠", now, now + timedelta(hours=1))
    assert overlap.value.params == {"title": "十一月好人评选"}
    # Voided votes stop counting but stay stored.
    assert await service.void_votes(session, STAFF, voting_round.id, [12]) == 1
    assert await service.vote_counts(session, voting_round.id, [nomination.id]) == {nomination.id: 1}
    _, results = await service.close_round(session, STAFF)
    assert [(n.id, v) for n, v in results] == [(nomination.id, 1)]
    with pytest.raises(VoteRefused):
        await service.cast_vote(session, 14, voting_round.id, nomination.id)


async def test_two_taps_racing_count_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        nomination, voting_round = await _shortlisted_round(session)
        await users.ensure_user(session, 21)

    async def tap() -> str:
        try:
            async with transaction(sessions) as session:
                await service.cast_vote(session, 21, voting_round.id, nomination.id)
            return "ok"
        except AlreadyVoted:
            return "again"

    outcomes = await asyncio.gather(tap(), tap(), tap())
    assert sorted(outcomes) == ["again", "again", "ok"]
    async with sessions() as session:
        votes = (await session.scalars(select(Vote).where(Vote.voter_id == 21))).all()
    assert len(votes) == 1


async def test_vote_stats_flag_bursts(session: AsyncSession) -> None:
    nomination, voting_round = await _shortlisted_round(session)
    others = []
    for index in range(5):
        other = (await nominate(session, 1, name=f"候选{index}")).nomination
        await service.change_status(session, STAFF, other.id, NominationStatus.SHORTLISTED)
        others.append(other)
    now = utcnow()
    old = User(id=31, display_name="老用户", created_at=now - timedelta(days=90), updated_at=now)
    session.add(old)
    await session.flush()
    await service.cast_vote(session, 31, voting_round.id, nomination.id, now)  # old account, one vote
    for offset, candidate in enumerate([nomination, *others]):  # a brand-new account, six votes in seconds
        await service.cast_vote(session, 32, voting_round.id, candidate.id, now + timedelta(seconds=offset))
    stats = await service.vote_stats(session, STAFF)
    assert stats.valid == 7 and stats.voided == 0
    assert [s.voter_id for s in stats.suspects] == [32]
    assert stats.suspects[0].burst == 6 and not stats.suspects[0].skewed  # too few votes to judge a skew
    top = stats.nominees[0]
    assert top.nomination.id == nomination.id and top.votes == 2 and sum(c for _, c in top.per_hour) == 2
    with pytest.raises(PermissionDenied):
        await service.vote_stats(session, RESIDENT)


async def _shortlist(session: AsyncSession, name: str) -> Nomination:
    other = (await nominate(session, 1, name=name)).nomination
    await service.change_status(session, STAFF, other.id, NominationStatus.SHORTLISTED)
    return other


async def _voters(session: AsyncSession, ids: range, *, days_old: int) -> None:
    now = utcnow()
    joined = now - timedelta(days=days_old)
    session.add_all(User(id=i, display_name=f"居民{i}", created_at=joined, updated_at=now) for i in ids)
    await session.flush()


def test_same_place_is_one_name_inside_the_other_or_one_district(settings) -> None:  # type: ignore[no-untyped-def]
    from bot.services.nominations.duplicates import same_place
    from bot.services.volunteers import load_districts

    districts = load_districts(settings.data_dir)
    assert same_place("首义社区", "武昌区 首义社区", districts)  # one inside the other
    assert same_place("首义社区", "黄鹤楼社区", districts)  # both listed under 武昌区
    assert same_place("武昌区中南社区", "武昌区·积玉桥", districts)  # the district named in both
    assert not same_place("首义社区", "幸福里社区", districts)


async def test_launch_day_new_accounts_are_not_suspect(session: AsyncSession) -> None:
    """Every account is new when the city starts: 40 of them voting evenly mark nobody."""
    first, voting_round = await _shortlisted_round(session)
    second = await _shortlist(session, "李秀英")
    now = utcnow()
    for voter in range(100, 140):  # each account is created by its first vote, after the round opened
        candidate = first if voter % 2 else second
        await service.cast_vote(session, voter, voting_round.id, candidate.id, now + timedelta(seconds=voter))
    stats = await service.vote_stats(session, STAFF)
    assert stats.valid == 40 and stats.suspects == []
    assert all(t.late_votes == 20 and t.skewed_against is None for t in stats.nominees)


async def test_votes_skewed_to_accounts_made_after_the_round_opened_are_flagged(
    session: AsyncSession,
) -> None:
    first, voting_round = await _shortlisted_round(session)
    second = await _shortlist(session, "李秀英")
    await _voters(session, range(200, 230), days_old=30)  # residents from before the round
    now = utcnow()
    for voter in range(200, 230):
        candidate = first if voter < 215 else second
        await service.cast_vote(session, voter, voting_round.id, candidate.id, now + timedelta(seconds=voter))
    for voter in range(300, 315):  # accounts made during the round, all for the second nominee
        await service.cast_vote(session, voter, voting_round.id, second.id, now + timedelta(seconds=voter))
    await service.cast_vote(session, 400, voting_round.id, first.id, now)  # one new account for the first
    stats = await service.vote_stats(session, STAFF)
    assert sorted(s.voter_id for s in stats.suspects) == list(range(300, 315))
    assert all(s.skewed and s.burst == 0 for s in stats.suspects)
    by_id = {t.nomination.id: t for t in stats.nominees}
    assert by_id[second.id].late_votes == 15 and by_id[second.id].skewed_against == pytest.approx(1 / 16)
    assert by_id[first.id].skewed_against is None


async def test_publish_honor_roll_and_audience(session: AsyncSession) -> None:
    nomination, _ = await _shortlisted_round(session)
    with pytest.raises(NominationNotFound):
        await service.publish(session, STAFF)
    await service.change_status(session, STAFF, nomination.id, NominationStatus.APPROVED)
    publication = await service.publish(session, STAFF)
    assert [n.id for n in publication.nominations] == [nomination.id]
    assert nomination.status is NominationStatus.PUBLISHED and nomination.honor_month == publication.month
    roll = await service.honor_roll(session)
    assert roll.month == publication.month and roll.by_kind[0][0] is NominationKind.HELPING_OTHERS
    assert roll.by_kind[0][1][0].story == STORY
    # The announcement's audience (好人榜 subscribers who can be reached) is the broadcast engine's.
    await users.subscribe(session, 41, Topic.HONORS)
    await users.subscribe(session, 42, Topic.HONORS)
    await users.subscribe(session, 43, Topic.NOTICES)
    await users.mark_unreachable(session, 42)
    assert await broadcasts.audience_size(session, AudienceKind.TOPIC, Topic.HONORS.value) == 1


async def test_forget_keeps_the_nomination_but_not_the_nominator(session: AsyncSession) -> None:
    nomination = (await nominate(session, 1)).nomination
    exported = await personal_data.export_user_data(session, 1, handlers.personal_data_sections())
    assert exported["nominations"]["nominations"][0]["contact"] == "13800138000"
    await personal_data.forget_user(session, 1, handlers.personal_data_sections())
    await session.refresh(nomination)
    assert nomination.nominator_id is None and nomination.nominator_contact is None
    assert (await session.get(Nomination, nomination.id)) is not None
