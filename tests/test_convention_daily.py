"""The daily article: one broadcast per day to the 每日公约 topic, in order and looping, never twice a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from bot.harness import ChatHarness
from bot.models import AuditEntry, Broadcast, ScheduledTask, TaskStatus, Topic, User
from bot.services import convention as service
from bot.services import users
from bot.services.broadcasts import plain_text, validate_html
from bot.services.convention import Convention
from bot.timeutil import utcnow
from handlers.broadcasts import make_sender
from handlers.convention.daily import on_startup, run_daily_article
from handlers.convention.resources import convention_of_app
from handlers.convention.views import daily_text
from tests.conftest import ADMIN_ID

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


async def test_a_new_daily_time_applies_from_the_next_article(session) -> None:  # type: ignore[no-untyped-def]
    """Today's 08:00 article went out; DAILY_ARTICLE_TIME becomes 20:00 and the bot restarts at 10:00:
    tomorrow's article moves to 20:00, and today gets no second one."""
    sent_today = datetime(2026, 3, 1, 8, 0, tzinfo=TZ)
    await service.schedule_daily_article(session, sent_today - timedelta(hours=1), EIGHT, TZ)
    today_task = await session.scalar(
        select(ScheduledTask).where(ScheduledTask.key == "daily-article:2026-03-01")
    )
    today_task.status = TaskStatus.DONE
    await service.schedule_daily_article(session, sent_today, EIGHT, TZ, after=date(2026, 3, 1))
    restart = datetime(2026, 3, 1, 10, 0, tzinfo=TZ)
    slot = await service.schedule_daily_article(session, restart, time(20, 0), TZ)
    await session.commit()
    assert slot == datetime(2026, 3, 2, 20, 0, tzinfo=TZ)
    pending = list(
        await session.scalars(select(ScheduledTask).where(ScheduledTask.status == TaskStatus.PENDING))
    )
    assert [(t.key, t.due_at) for t in pending] == [("daily-article:2026-03-02", slot)]
    # An earlier time, set the next morning before 07:00, applies that very day.
    slot = await service.schedule_daily_article(
        session, datetime(2026, 3, 2, 6, 0, tzinfo=TZ), time(7, 0), TZ
    )
    await session.commit()
    moved = await session.scalar(
        select(ScheduledTask.due_at).where(ScheduledTask.key == "daily-article:2026-03-02")
    )
    assert slot == moved == datetime(2026, 3, 2, 7, 0, tzinfo=TZ)


async def subscribe(sessions, *user_ids: int) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session, session.begin():
        for user_id in user_ids:
            await users.subscribe(session, user_id, Topic.DAILY_ARTICLE)


def today() -> date:
    return utcnow().astimezone(TZ).date()


def task_for(day: date) -> ScheduledTask:
    return ScheduledTask(
        key=service.daily_task_key(day), kind=service.DAILY_TASK_KIND, payload={"date": day.isoformat()}
    )


async def daily_broadcasts(sessions) -> list[Broadcast]:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


async def test_one_broadcast_a_day_delivered_once_to_each_reachable_subscriber(
    harness: ChatHarness, sessions
) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 201, 202, 203, 205, 206)
    async with sessions() as session, session.begin():
        await users.ensure_user(session, 204)  # never subscribed
        await users.unsubscribe(session, 205, Topic.DAILY_ARTICLE)  # opted out
        await users.mark_unreachable(session, 203)  # blocked us before
    harness.emulator.blocked_chats.add(206)  # blocks us now: the engine finds out

    first = await run_daily_article(harness.application, task_for(today()))
    second = await run_daily_article(harness.application, task_for(today()))  # a retry or a restart
    assert first is not None and first.number == 1 and first.recipients == 3  # 201, 202, 206
    assert second is None
    (notice,) = await daily_broadcasts(sessions)
    assert notice.created_by is None and notice.id == first.broadcast_id
    async with sessions() as session:
        (entry,) = await session.scalars(select(AuditEntry).where(AuditEntry.action == "broadcast.create"))
    assert entry.actor_id is None and entry.details["system"] == service.DAILY_TASK_KIND

    sender = make_sender(harness.application)
    await sender.run_until_idle()
    await sender.run_until_idle()  # nothing left: nobody gets it twice
    for user_id in (201, 202):
        (message,) = harness.emulator.sent_to(user_id)
        assert "每日公约" in message.text and "第 1 条" in message.text and "/unsubscribe" in message.text
    for user_id in (203, 204, 205, 206):
        assert harness.emulator.sent_to(user_id) == []
    async with sessions() as session:
        assert (await session.get(User, 206)).unreachable_since is not None  # type: ignore[union-attr]


async def test_articles_follow_the_days_in_order_and_loop(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 301)
    convention: Convention = convention_of_app(harness.application)
    day = date(2026, 3, 2)

    async def run(on: date) -> service.DailyNotice | None:
        async with sessions() as session, session.begin():
            return await service.create_daily_notice(session, convention, on, daily_text)

    numbers = []
    for offset in range(convention.size + 2):  # a whole loop and a bit
        notice = await run(day + timedelta(days=offset))
        assert notice is not None
        numbers.append(notice.number)
    assert numbers == [*range(1, convention.size + 1), 1, 2]
    last = day + timedelta(days=convention.size + 1)
    assert await run(last) is None and await run(last - timedelta(days=3)) is None  # same or earlier day
    # The bot was down for two days: the next day goes on with the next article, none is skipped.
    assert (await run(last + timedelta(days=3))).number == 3  # type: ignore[union-attr]

    await make_sender(harness.application).run_until_idle()
    received = [m.text or "" for m in harness.emulator.sent_to(301)]
    assert len(received) == convention.size + 3
    # 23 notices were queued at once here (in life: one a day), so their delivery order is the
    # engine's; the order of the days is asserted on `numbers` above. Each article arrived as often
    # as its days say: 1, 2 and 3 twice, the rest once.
    import re
    from collections import Counter

    got = Counter(int(re.search(r"第 (\d+) 条", text)[1]) for text in received)  # type: ignore[index]
    assert got == Counter([*range(1, convention.size + 1), 1, 2, 3])


async def test_nobody_subscribed_queues_no_notice_but_the_loop_moves_on(
    harness: ChatHarness, sessions
) -> None:  # type: ignore[no-untyped-def]
    notice = await run_daily_article(harness.application, task_for(today()))
    assert notice is not None and notice.broadcast_id is None and notice.recipients == 0
    assert await daily_broadcasts(sessions) == []
    async with sessions() as session:
        state = await service.daily_state(session)
    assert state is not None and state.next_number == 2 and state.last_sent_on == today()


async def test_the_scheduled_task_queues_then_schedules_the_next_day(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 401)
    async with sessions() as session:
        (task,) = await session.scalars(
            select(ScheduledTask).where(ScheduledTask.kind == service.DAILY_TASK_KIND)
        )
    assert task.status is TaskStatus.PENDING  # scheduled at start-up
    await on_startup(harness.application)  # a restart adds nothing
    runner = harness.application.bot_data.tasks
    sender = make_sender(harness.application)

    assert await runner.run_due(sessions, now=task.due_at, kinds=[service.DAILY_TASK_KIND]) == 1
    assert harness.emulator.sent_to(401) == []  # the task only queues; the engine sends
    await sender.run_until_idle()
    assert "第 1 条" in harness.emulator.last_to(401).text
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

    await on_startup(harness.application)  # a restart after the run: still one task per day
    assert await runner.run_due(sessions, now=tasks[1].due_at, kinds=[service.DAILY_TASK_KIND]) == 1
    await sender.run_until_idle()
    assert "第 2 条" in harness.emulator.last_to(401).text
    assert len(harness.emulator.sent_to(401)) == 2
    assert (
        await runner.run_due(sessions, now=tasks[1].due_at, kinds=[service.DAILY_TASK_KIND]) == 0
    )  # fired once
    assert len(await daily_broadcasts(sessions)) == 2


async def test_a_day_that_is_over_is_skipped_but_the_loop_goes_on(harness: ChatHarness, sessions) -> None:  # type: ignore[no-untyped-def]
    """The bot was down for a whole day: no stale article, and the next day is still scheduled."""
    await subscribe(sessions, 501)
    async with sessions() as session, session.begin():
        await session.execute(delete(ScheduledTask))  # forget what start-up scheduled
    yesterday = today() - timedelta(days=1)
    assert await run_daily_article(harness.application, task_for(yesterday)) is None
    async with sessions() as session:
        assert await session.scalar(select(func.count(Broadcast.id))) == 0
        assert await service.daily_state(session) is None  # no article used up
        (pending,) = await session.scalars(
            select(ScheduledTask).where(ScheduledTask.status == TaskStatus.PENDING)
        )
    assert pending.kind == service.DAILY_TASK_KIND and pending.due_at > utcnow()
    assert pending.key == service.daily_task_key(pending.due_at.astimezone(TZ).date())
    await make_sender(harness.application).run_until_idle()
    assert harness.emulator.sent_to(501) == []


async def test_staff_see_the_daily_notice_in_broadcasts_and_can_pause_it(
    harness: ChatHarness, sessions
) -> None:  # type: ignore[no-untyped-def]
    await subscribe(sessions, 601, 602)
    notice = await run_daily_article(harness.application, task_for(today()))
    assert notice is not None and notice.broadcast_id is not None
    listing = (await harness.send(ADMIN_ID, "/broadcasts"))[-1]
    assert "每日公约" in listing.text and "待发送 2" in listing.text
    (paused,) = await harness.press_data(ADMIN_ID, f"bc:pause:{notice.broadcast_id}")
    assert "已暂停" in paused.text
    await make_sender(harness.application).run_until_idle()
    assert harness.emulator.sent_to(601) == [] and harness.emulator.sent_to(602) == []


def test_every_shipped_article_fits_in_one_notice(harness: ChatHarness) -> None:
    """The engine refuses HTML Telegram would refuse, or text over 4,096 characters: every article passes."""
    convention: Convention = convention_of_app(harness.application)
    for article in convention.articles:
        text = validate_html(daily_text(article, date(2026, 12, 31)))
        assert f"第 {article.number} 条" in plain_text(text)
