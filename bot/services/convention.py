"""Convention learning: quiz personal bests and the daily-article loop (no Telegram here).

The article texts and quiz bank are files (``bot.convention``); the database only keeps what is
personal: a resident's best quiz score and where they are in the daily loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.convention import Convention, QuizQuestion
from bot.models import ConventionQuizRecord, DailyArticleProgress, Subscription, Topic, User
from bot.services import personal_data
from bot.services.users import ensure_user
from bot.timeutil import utcnow

QUIZ_SIZE = 5
DAILY_TASK_KIND = "convention.daily_article"


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


async def daily_recipients(session: AsyncSession, today: date) -> list[int]:
    """Reachable subscribers of 每日公约 not yet sent an article today, in a stable order."""
    query = (
        select(Subscription.user_id)
        .join(User, User.id == Subscription.user_id)
        .outerjoin(DailyArticleProgress, DailyArticleProgress.user_id == Subscription.user_id)
        .where(
            Subscription.topic == Topic.DAILY_ARTICLE,
            User.unreachable_since.is_(None),
            or_(DailyArticleProgress.last_sent_on.is_(None), DailyArticleProgress.last_sent_on != today),
        )
        .order_by(Subscription.user_id)
    )
    return list(await session.scalars(query))


async def next_daily_number(session: AsyncSession, user_id: int, article_count: int) -> int:
    """The article this subscriber gets next (1 for a new subscriber; kept in range if the file shrank)."""
    progress = await session.get(DailyArticleProgress, user_id)
    number = progress.next_number if progress is not None else 1
    return number if 1 <= number <= article_count else 1


async def mark_daily_sent(
    session: AsyncSession, user_id: int, number: int, today: date, article_count: int
) -> None:
    """After a successful send: advance the loop (20 → 1) and remember the day."""
    progress = await session.get(DailyArticleProgress, user_id)
    if progress is None:
        progress = DailyArticleProgress(user_id=user_id, next_number=1, sent_count=0)
        session.add(progress)
    progress.next_number = number % article_count + 1
    progress.last_sent_on = today
    progress.sent_count += 1
    await session.flush()


# ---------------------------------------------------------------- personal data (/mydata, /forget)
async def export_user_data(session: AsyncSession, user_id: int) -> dict[str, Any]:
    record = await session.get(ConventionQuizRecord, user_id)
    progress = await session.get(DailyArticleProgress, user_id)
    document: dict[str, Any] = {}
    if record is not None:
        document["quiz"] = {
            "best_score": record.best_score,
            "best_total": record.best_total,
            "best_at": record.best_at.isoformat(),
            "last_score": record.last_score,
            "attempts": record.attempts,
        }
    if progress is not None:
        document["daily_article"] = {
            "next_number": progress.next_number,
            "last_sent_on": progress.last_sent_on.isoformat() if progress.last_sent_on else None,
            "sent_count": progress.sent_count,
        }
    return document


async def erase_user_data(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(ConventionQuizRecord).where(ConventionQuizRecord.user_id == user_id))
    await session.execute(delete(DailyArticleProgress).where(DailyArticleProgress.user_id == user_id))


def register_personal_data() -> None:
    personal_data.register("convention", export_user_data, erase_user_data)
