"""The quiz: five questions on five articles, and each resident's personal best (no Telegram here)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import ConventionQuizRecord
from bot.services.convention.content import Convention, QuizQuestion
from bot.services.users import ensure_user
from bot.timeutil import utcnow

QUIZ_SIZE = 5


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
