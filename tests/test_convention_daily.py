"""The daily article: scheduled once per day, in order and looping, never twice a day, 403s skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from bot.harness import ChatHarness
from bot.models import DailyArticleProgress, ScheduledTask, TaskStatus, Topic, User
from bot.services import convention as service
from bot.services import users
from bot.timeutil import utcnow
from handlers.convention import deliver_daily_articles, on_startup, run_daily_article

TZ = ZoneInfo("Asia/Shanghai")
EIGHT = time(8, 0)


def test_next_slot_is_today_before_the_time_and_tomorrow_after_it() -> None:
    before = datetime(2026, 3, 1, 7, 59, tzinfo=TZ)
    assert service.next_daily_slot(before, EIGHT, TZ) == datetime(2026, 3, 1, 8, 0, tzinfo=TZ)
    at_eight = datetime(2026, 3, 1, 8, 0, tzinfo=TZ)
    assert service.next_daily_slot(at_eight, EIGHT, TZ) == datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    # The handler of 1 March, running late on 1 March, schedules 2 March; a catch-up run never goes back.
    late = datetime(2026, 3, 1, 23, 0, tzinfo=TZ)
    assert service.next_daily_slot(late, EIGHT, TZ, after=date(2026, 3, 1)).date() == date(2026, 3, 2)
    # UTC midnight is already 08:00 in Shanghai: the local date counts.
    utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 07:30 on 2 March in Shanghai
    assert service.next_daily_slot(utc, EIGHT, TZ).date() == date(2026, 3, 2)


async def test_scheduling_is_once_per_date(session) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 3, 1, 9, 0, tzinfo=TZ)
    for _ in range(3):  # three restarts, or two processes, the same day
        await service.schedule_daily_article(session, now, EIGHT, TZ)
    await session.commit()
    tasks = list(
        await session.scalars(select(ScheduledTask).where(ScheduledTask.kind == service.DAILY_TASK_KIND))
    )
    assert [t.key for t in tasks] == ["daily-article:2026-03-02"]


async def subscribe(sessions, *user_ids: int) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session, session.begin():
        for user_id in user_ids:
            await users.subscribe(session, user_id, Topic.DAILY_ARTICLE)


async def test_subscribers_get_articles_in_order_once_a_day_and_blocked_users_are_skipped(
    harness: ChatHarness, sessions
) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 201, 202, 203)
    async with sessions() as session, session.begin():
        await users.ensure_user(session, 204)  # not subscribed
    harness.emulator.blocked_chats.add(203)
    day = date(2026, 3, 2)

    report = await deliver_daily_articles(harness.application, day, pause=0)
    assert (report.sent, report.blocked, report.failed) == (2, 1, 0)
    assert (
        "第 1 条" in harness.emulator.last_to(201).text and "每日公约" in harness.emulator.last_to(201).text
    )
    assert harness.emulator.sent_to(204) == []
    async with sessions() as session:
        assert (await session.get(User, 203)).unreachable_since is not None  # type: ignore[union-attr]

    again = await deliver_daily_articles(harness.application, day, pause=0)  # same day: nothing
    assert (again.sent, again.blocked) == (0, 0) and len(harness.emulator.sent_to(201)) == 1

    await deliver_daily_articles(harness.application, day + timedelta(days=1), pause=0)
    assert "第 2 条" in harness.emulator.last_to(202).text
    assert harness.emulator.sent_to(203) == []  # unreachable users are skipped

    async with sessions() as session, session.begin():  # the loop: after 20 comes 1
        progress = await session.get(DailyArticleProgress, 201)
        assert progress is not None and progress.next_number == 3
        progress.next_number = 20
    await deliver_daily_articles(harness.application, day + timedelta(days=2), pause=0)
    await deliver_daily_articles(harness.application, day + timedelta(days=3), pause=0)
    texts_201 = [m.text for m in harness.emulator.sent_to(201)]
    assert "第 20 条" in texts_201[-2] and "第 1 条" in texts_201[-1]


async def test_the_scheduled_task_sends_then_schedules_the_next_day(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 301)
    async with sessions() as session:
        (task,) = await session.scalars(
            select(ScheduledTask).where(ScheduledTask.kind == service.DAILY_TASK_KIND)
        )
    assert task.status is TaskStatus.PENDING  # scheduled at start-up
    await on_startup(harness.application)  # a restart adds nothing
    runner = harness.application.bot_data.tasks

    assert await runner.run_due(sessions, now=task.due_at) == 1
    assert "第 1 条" in harness.emulator.last_to(301).text
    async with sessions() as session:
        tasks = list(
            await session.scalars(
                select(ScheduledTask)
                .where(ScheduledTask.kind == service.DAILY_TASK_KIND)
                .order_by(ScheduledTask.due_at)
            )
        )
    assert [t.status for t in tasks] == [TaskStatus.DONE, TaskStatus.PENDING]
    first_day = date.fromisoformat(tasks[0].payload["date"])
    assert tasks[1].key == f"daily-article:{first_day + timedelta(days=1)}"

    assert await runner.run_due(sessions, now=tasks[1].due_at) == 1
    assert "第 2 条" in harness.emulator.last_to(301).text
    assert len(harness.emulator.sent_to(301)) == 2
    assert await runner.run_due(sessions, now=tasks[1].due_at) == 0  # fired once


async def test_a_day_that_is_over_is_skipped_but_the_loop_goes_on(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    """The bot was down for a whole day: no stale article, and the next day is still scheduled."""
    await subscribe(sessions, 401)
    async with sessions() as session, session.begin():
        await session.execute(delete(ScheduledTask))  # forget what start-up scheduled
    yesterday = (utcnow().astimezone(TZ) - timedelta(days=1)).date()
    stale = ScheduledTask(key="x", kind=service.DAILY_TASK_KIND, payload={"date": yesterday.isoformat()})
    await run_daily_article(harness.application, stale)
    assert harness.emulator.sent_to(401) == []
    async with sessions() as session:
        (pending,) = await session.scalars(
            select(ScheduledTask).where(ScheduledTask.status == TaskStatus.PENDING)
        )
    assert pending.kind == service.DAILY_TASK_KIND and pending.due_at > utcnow()
    assert pending.key == service.daily_task_key(pending.due_at.astimezone(TZ).date())
