"""The one clock: pinned in tests, moved on purpose, and what the scheduler and start-up hooks read
(so a month's, quarter's or year's end only matters to the tests that go there)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import scheduler
from bot.clock import DEFAULT_TZ, ShiftedClock, SystemClock, process_clock, utcnow
from bot.config import Settings
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import ScheduledTask
from bot.scheduler import TaskRunner
from bot.services.reports import schedule as report_schedule
from tests.conftest import PINNED_INSTANT

Sessions = async_sessionmaker[AsyncSession]


def test_tests_run_at_the_pinned_instant(clock: SystemClock) -> None:
    assert process_clock() is clock
    assert abs(utcnow() - PINNED_INSTANT) < timedelta(minutes=1)
    assert clock.local_now().tzinfo == DEFAULT_TZ and clock.local_now().day == 15


def test_a_shifted_clock_flows_and_moves() -> None:
    start = datetime(2028, 2, 28, 23, 59, tzinfo=DEFAULT_TZ)
    clock = ShiftedClock(start)
    assert timedelta(0) <= clock.now() - start < timedelta(seconds=5)
    clock.advance(timedelta(minutes=2))
    assert clock.local_now().date().isoformat() == "2028-02-29"  # a leap day
    assert clock.timestamp() == pytest.approx(clock.now().timestamp(), abs=1)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1))  # naive times are refused


async def test_the_application_uses_the_clock_it_is_given(settings: Settings, clock: SystemClock) -> None:
    chat = ChatHarness(settings, clock=clock)
    data = chat.application.bot_data
    assert data.clock is clock and data.tasks.clock is clock and data.flood.clock is clock
    assert process_clock() is clock


async def test_run_due_reads_the_runner_clock_and_fires_only_the_kinds_asked(sessions: Sessions) -> None:
    clock = ShiftedClock(datetime(2026, 3, 31, 23, 0, tzinfo=DEFAULT_TZ))
    runner = TaskRunner(clock)
    fired: list[str] = []

    async def record(task: ScheduledTask) -> None:
        fired.append(task.key)

    runner.register("a", record)
    runner.register("b", record)
    async with transaction(sessions) as session:
        await scheduler.schedule(session, "a:1", "a", clock.now() + timedelta(hours=1))
        await scheduler.schedule(session, "b:1", "b", clock.now() + timedelta(hours=1))
    assert await runner.run_due(sessions) == 0
    clock.advance(timedelta(hours=2))
    assert await runner.run_due(sessions, kinds=["a"]) == 1
    assert fired == ["a:1"]
    assert await runner.run_due(sessions) == 1
    assert fired == ["a:1", "b:1"]


@pytest.mark.parametrize(
    ("local_instant", "expected_periods"),
    [
        # 23:50 on the last evening of a year (and of a quarter and a month).
        (datetime(2026, 12, 31, 23, 50, tzinfo=DEFAULT_TZ), {"month:2026-12", "quarter:2026-Q4"}),
        # 00:30 on a leap day: the month has not ended, nor the quarter.
        (datetime(2028, 2, 29, 0, 30, tzinfo=DEFAULT_TZ), {"month:2028-02", "quarter:2028-Q1"}),
        # The pinned middle of a month.
        (PINNED_INSTANT, {"month:2026-06", "quarter:2026-Q2"}),
    ],
)
async def test_report_tasks_scheduled_at_start_up_follow_the_clock(
    settings: Settings,
    sessions: Sessions,
    clock: ShiftedClock,
    local_instant: datetime,
    expected_periods: set[str],
) -> None:
    clock.set(local_instant)
    async with ChatHarness(settings, clock=clock):
        pass
    async with sessions() as session:
        tasks = list(
            await session.scalars(
                select(ScheduledTask).where(ScheduledTask.kind == report_schedule.TASK_KIND)
            )
        )
    periods = {f"{t.payload['kind']}:{t.payload['period']}" for t in tasks}
    assert periods == expected_periods
    for task in tasks:
        due = task.due_at.replace(tzinfo=UTC) if task.due_at.tzinfo is None else task.due_at
        assert due > clock.now()
        assert due.astimezone(DEFAULT_TZ).hour == report_schedule.SEND_HOUR
