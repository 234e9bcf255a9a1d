"""Convention learning: quiz personal bests and the daily-article loop (no Telegram here).

The article texts and quiz bank are files (``bot.convention``); the database keeps a resident's best
quiz score, and one shared row saying which article the next daily notice carries. The daily article
itself is a broadcast (``bot.services.broadcasts``) to the 每日公约 topic: the delivery engine sends it,
rate-limited and crash-safe, to every reachable subscriber.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.convention import Article, Convention, QuizQuestion
from bot.models import AudienceKind, ConventionQuizRecord, DailyArticleState, Topic, User
from bot.services import broadcasts
from bot.services.users import ensure_user
from bot.timeutil import utcnow

QUIZ_SIZE = 5
DAILY_TASK_KIND = "convention.daily_article"
DAILY_STATE_ID = 1


# ---------------------------------------------------------------- quiz
def pick_quiz(convention: Convention, rng: random.Random, size: int = QUIZ_SIZE) -> list[QuizQuestion]:
    """``size`` questions about ``size`` different articles (as long as there are enough articles)."""
    numbers = rng.sample(range(1, convention.size + 1), k=min(size, convention.size))
    picked = [rng.choice(convention.questions_for(n)) for n in numbers]
    if len(picked) < size:  # a city file with fewer articles than quiz questions
        rest = [q for q in convention.questions if q not in picked]
        rng.shuffle(rest)
        picked += rest[: size - len(picked)]
    return picked


@dataclass(frozen=True)
class QuizOutcome:
    score: int
    total: int
    best_score: int
    best_total: int
    attempts: int
    new_best: bool


async def record_quiz_score(session: AsyncSession, user_id: int, score: int, total: int) -> QuizOutcome:
    """Store a finished quiz; the personal best is the highest score (ties keep the earlier date)."""
    await ensure_user(session, user_id)
    now = utcnow()
    record = await session.get(ConventionQuizRecord, user_id, with_for_update=True)
    if record is None:
        record = ConventionQuizRecord(
            user_id=user_id, best_score=score, best_total=total, best_at=now, last_score=score, attempts=0
        )
        session.add(record)
        new_best = True
    else:
        new_best = score > record.best_score
        if new_best:
            record.best_score, record.best_total, record.best_at = score, total, now
        record.last_score = score
    record.attempts += 1
    await session.flush()
    return QuizOutcome(score, total, record.best_score, record.best_total, record.attempts, new_best)


async def quiz_record(session: AsyncSession, user_id: int) -> ConventionQuizRecord | None:
    return await session.get(ConventionQuizRecord, user_id)


# ---------------------------------------------------------------- daily article
def daily_task_key(day: date) -> str:
    return f"daily-article:{day.isoformat()}"


def next_daily_slot(now: datetime, at: time, tz: ZoneInfo, after: date | None = None) -> datetime:
    """The first daily send time strictly after ``now`` (and on a day after ``after``, if given)."""
    local_now = now.astimezone(tz)
    day = local_now.date() if after is None else max(local_now.date(), after + timedelta(days=1))
    while True:
        slot = datetime.combine(day, at, tzinfo=tz)
        if slot > now:
            return slot
        day += timedelta(days=1)


async def schedule_daily_article(
    session: AsyncSession, now: datetime, at: time, tz: ZoneInfo, after: date | None = None
) -> datetime:
    """Make sure the next daily send is scheduled (idempotent: one task per local date)."""
    slot = next_daily_slot(now, at, tz, after)
    day = slot.date()
    await scheduler.schedule(session, daily_task_key(day), DAILY_TASK_KIND, slot, {"date": day.isoformat()})
    return slot


@dataclass(frozen=True)
class DailyNotice:
    """What the run of one day did: the article it chose and the broadcast carrying it (None: nobody to send to)."""

    day: date
    number: int
    broadcast_id: int | None
    recipients: int


async def _locked_daily_state(session: AsyncSession) -> DailyArticleState:
    """The shared loop row, created on first use (race-free) and locked for this transaction."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert_fn(DailyArticleState).values(id=DAILY_STATE_ID, next_number=1).on_conflict_do_nothing()
    )
    state = await session.get(DailyArticleState, DAILY_STATE_ID, with_for_update=True, populate_existing=True)
    assert state is not None
    return state


async def daily_state(session: AsyncSession) -> DailyArticleState | None:
    return await session.get(DailyArticleState, DAILY_STATE_ID)


async def create_daily_notice(
    session: AsyncSession,
    convention: Convention,
    day: date,
    render: Callable[[Article, date], str],
    now: datetime | None = None,
) -> DailyNotice | None:
    """Queue ``day``'s article as one broadcast to the 每日公约 subscribers; None if ``day`` already has one.

    Everyone gets the same article on the same day. The loop row is locked, checked and advanced in the
    caller's transaction, together with the broadcast and its deliveries: either all of it is stored or
    none, so a second run for the same day (a retry, a restart, another process) creates nothing. The
    article advances only on days a notice goes out, so a day the bot was down skips no article.
    """
    state = await _locked_daily_state(session)
    if state.last_sent_on is not None and state.last_sent_on >= day:
        return None
    number = state.next_number if 1 <= state.next_number <= convention.size else 1
    article = convention.article(number)
    assert article is not None
    broadcast_id, recipients = None, 0
    audience = (AudienceKind.TOPIC, Topic.DAILY_ARTICLE.value)
    anyone = select(User.id).where(*broadcasts.audience_filter(*audience)).limit(1)
    if await session.scalar(anyone) is not None:
        notice = await broadcasts.create_system_notice(
            session,
            source=DAILY_TASK_KIND,
            text=render(article, day),
            audience_kind=audience[0],
            audience_param=audience[1],
            now=now,
        )
        broadcast_id = notice.id
        recipients = await broadcasts.pending_count_for(session, notice.id)
    state.next_number = number % convention.size + 1
    state.last_sent_on = day
    state.last_broadcast_id = broadcast_id
    await session.flush()
    return DailyNotice(day, number, broadcast_id, recipients)


# ---------------------------------------------------------------- personal data (/mydata, /forget)
async def export_user_data(session: AsyncSession, user_id: int) -> dict[str, Any]:
    record = await session.get(ConventionQuizRecord, user_id)
    document: dict[str, Any] = {}
    if record is not None:
        document["quiz"] = {
            "best_score": record.best_score,
            "best_total": record.best_total,
            "best_at": record.best_at.isoformat(),
            "last_score": record.last_score,
            "attempts": record.attempts,
        }
    return document


async def erase_user_data(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(ConventionQuizRecord).where(ConventionQuizRecord.user_id == user_id))
