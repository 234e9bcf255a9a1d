import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot import scheduler
from bot.database import transaction
from bot.models import ScheduledTask, TaskStatus
from bot.scheduler import TaskRunner
from bot.timeutil import utcnow


async def test_schedule_is_idempotent_per_key(sessions) -> None:
    due = utcnow() + timedelta(hours=1)
    async with transaction(sessions) as session:
        assert await scheduler.schedule(session, "reminder:1", "reminder", due, {"booking": 1})
        assert not await scheduler.schedule(session, "reminder:1", "reminder", due, {"booking": 1})
    async with sessions() as session:
        assert len((await session.scalars(select(ScheduledTask))).all()) == 1


async def test_due_tasks_run_once_even_with_two_runners_racing(sessions) -> None:
    ran: list[str] = []

    async def handler(task: ScheduledTask) -> None:
        await asyncio.sleep(0.01)
        ran.append(task.key)

    runners = [TaskRunner(), TaskRunner()]
    for runner in runners:
        runner.register("ping", handler)
    now = utcnow()
    async with transaction(sessions) as session:
        for i in range(20):
            await scheduler.schedule(session, f"ping:{i}", "ping", now - timedelta(seconds=i))
        await scheduler.schedule(session, "ping:later", "ping", now + timedelta(hours=1))
    counts = await asyncio.gather(*(runner.run_due(sessions, now) for runner in runners))
    assert sum(counts) == 20
    assert sorted(ran) == sorted(f"ping:{i}" for i in range(20))
    assert await runners[0].run_due(sessions, now) == 0  # nothing fires twice
    async with sessions() as session:
        later = await session.scalar(select(ScheduledTask).where(ScheduledTask.key == "ping:later"))
        assert later is not None and later.status is TaskStatus.PENDING


async def test_failures_are_recorded_and_cancel_and_interrupt(sessions) -> None:
    async def broken(task: ScheduledTask) -> None:
        raise RuntimeError("boom")

    runner = TaskRunner()
    runner.register("broken", broken)
    now = utcnow()
    async with transaction(sessions) as session:
        await scheduler.schedule(session, "b:1", "broken", now)
        await scheduler.schedule(session, "unknown:1", "nobody-handles-this", now)
        await scheduler.schedule(session, "c:1", "broken", now)
        await scheduler.schedule(session, "c:2", "broken", now)
        assert await scheduler.cancel(session, key_prefix="c:") == 2
    assert await runner.run_due(sessions, now) == 2
    async with sessions() as session:
        tasks = {t.key: t for t in (await session.scalars(select(ScheduledTask))).all()}
    assert tasks["b:1"].status is TaskStatus.FAILED and "boom" in (tasks["b:1"].error or "")
    assert tasks["unknown:1"].status is TaskStatus.FAILED
    assert tasks["c:1"].status is TaskStatus.CANCELLED

    async with transaction(sessions) as session:
        await scheduler.schedule(session, "r:1", "broken", now)
        claimed = await scheduler.claim_due(session, now)
        assert [t.key for t in claimed] == ["r:1"]
    async with transaction(sessions) as session:  # the process "crashed" after claiming
        assert await scheduler.mark_interrupted(session) == 1
    assert await runner.run_due(sessions, now) == 0
