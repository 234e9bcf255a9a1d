"""The daily article: which article the next daily notice carries, and queueing it (no Telegram here).

One shared row says which article comes next. The daily article itself is a broadcast
(``bot.services.broadcasts``) to the 每日公约 topic: the delivery engine sends it, rate-limited and
crash-safe, to every reachable subscriber.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler
from bot.models import AudienceKind, DailyArticleState, ScheduledTask, TaskStatus, Topic, User
from bot.services import broadcasts
from bot.services.convention.content import Article, Convention

DAILY_TASK_KIND = "convention.daily_article"
DAILY_STATE_ID = 1


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
    """Make sure the next daily send is scheduled at ``at`` (idempotent: one task per local date).

    A day whose article has gone (or is going) out is not sent again: the next day is scheduled. A
    day already waiting at another time (``DAILY_ARTICLE_TIME`` changed and the bot restarted) is
    moved to ``at``, so the new time applies from the next article on.
    """
    while True:
        slot = next_daily_slot(now, at, tz, after)
        day = slot.date()
        key = daily_task_key(day)
        existing = await session.scalar(select(ScheduledTask).where(ScheduledTask.key == key))
        if existing is None:
            await scheduler.schedule(session, key, DAILY_TASK_KIND, slot, {"date": day.isoformat()})
            return slot
        if existing.status is TaskStatus.PENDING:
            if existing.due_at != slot:
                await scheduler.reschedule(session, key, slot)
            return slot
        after = day  # that day's article is done: the next day


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
