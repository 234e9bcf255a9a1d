"""好人推荐 voting: votes cast per second through the service, and the stuffing statistics.

Baselines, measured in the same run on the same database: a bare ORM insert of the same vote rows
(no window, candidate or duplicate checks), and a plain GROUP BY tally of the same votes.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import insert

from bench.run import result
from bot.cli import migrate
from bot.database import make_engine, make_sessionmaker, transaction
from bot.models import NominationKind, NominationStatus, Role, User, Vote
from bot.services import nominations as service
from bot.services.users import Actor
from bot.timeutil import utcnow

STAFF = Actor(1, Role.STAFF)
STORY = "老李每天清晨义务打扫小区道路，十年如一日，从不间断，带动了整栋楼的邻居一起参与。"


async def _run(url: str, votes: int, stats_votes: int, candidates: int = 10) -> list[dict[str, Any]]:
    await migrate(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        now = utcnow()
        async with transaction(sessions) as session:
            ids = []
            for index in range(candidates):
                submitted = await service.submit_nomination(
                    session,
                    1000 + index,
                    kind=list(NominationKind)[index % 5],
                    nominee_name=f"候选人{index}",
                    community="幸福里社区",
                    story=STORY,
                )
                await service.change_status(
                    session, STAFF, submitted.nomination.id, NominationStatus.SHORTLISTED
                )
                ids.append(submitted.nomination.id)
            voting_round, _ = await service.open_round(
                session, STAFF, "基准", now - timedelta(minutes=1), now + timedelta(days=1)
            )
            baseline_round, _ = await service.open_round(
                session, STAFF, "基线", now + timedelta(days=2), now + timedelta(days=3)
            )

        started = time.perf_counter()
        for i in range(votes):
            async with transaction(sessions) as session:
                await service.cast_vote(
                    session, 100_000 + i // candidates, voting_round.id, ids[i % candidates]
                )
        ours = votes / (time.perf_counter() - started)

        started = time.perf_counter()
        for i in range(votes):
            async with transaction(sessions) as session:
                session.add(
                    Vote(round_id=baseline_round.id, nomination_id=ids[i % candidates], voter_id=None)
                )
        bare = votes / (time.perf_counter() - started)

        # Statistics over many votes: bulk-load them, then time vote_stats against a plain tally.
        async with transaction(sessions) as session:
            await session.execute(
                insert(User),
                [
                    {"id": 500_000 + v, "display_name": "", "created_at": now, "updated_at": now}
                    for v in range(stats_votes // candidates)
                ],
            )
            await session.execute(
                insert(Vote),
                [
                    {
                        "round_id": voting_round.id,
                        "nomination_id": ids[i % candidates],
                        "voter_id": 500_000 + i // candidates,
                        "created_at": now + timedelta(seconds=i),
                        "voided": False,
                    }
                    for i in range(stats_votes)
                ],
            )
        async with transaction(sessions) as session:
            started = time.perf_counter()
            stats = await service.vote_stats(session, STAFF, voting_round.id)
            stats_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            await service.tally(session, voting_round.id)
            tally_ms = (time.perf_counter() - started) * 1000
    finally:
        await engine.dispose()
    return [
        result(
            "nominations.votes_per_second",
            ours,
            "votes/s",
            baseline=bare,
            baseline_name="bare ORM insert, one transaction each",
            votes=votes,
            database=url.split(":")[0],
        ),
        result(
            "nominations.vote_stats",
            stats_ms,
            "ms",
            baseline=tally_ms,
            higher_is_better=False,
            baseline_name="GROUP BY tally of the same votes",
            votes=stats.valid,
            suspects=len(stats.suspects),
            database=url.split(":")[0],
        ),
    ]


async def bench_nominations(quick: bool = False, database_url: str | None = None) -> list[dict[str, Any]]:
    votes, stats_votes = (300, 5_000) if quick else (2_000, 50_000)
    if database_url:
        return await _run(database_url, votes, stats_votes)
    with tempfile.TemporaryDirectory() as tmp:
        return await _run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", votes, stats_votes)
