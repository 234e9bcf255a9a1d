"""Fixtures: a migrated test database (SQLite or PostgreSQL), settings, sessions, and a chat harness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import DEFAULT_TZ, ShiftedClock, SystemClock, process_clock, use_clock
from bot.config import Settings
from bot.database import make_engine, make_sessionmaker
from bot.harness import ChatHarness
from tests.support.databases import fresh_database, truncate_all

ADMIN_ID = 900001
STAFF_ID = 900002
RESIDENT_ID = 100001

# Every test runs at this instant unless it sets its own: the middle of a month, far from month,
# quarter and year ends, so "tomorrow", "this month" and "next 1st at 09:00" never cross a boundary
# by accident. Tests about boundaries move the clock (clock.set / clock.advance).
PINNED_INSTANT = datetime(2026, 6, 15, 10, 0, tzinfo=DEFAULT_TZ)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_clock: the test drives a separate bot process, which keeps real time"
    )


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[SystemClock]:
    """The process clock for this test: pinned to PINNED_INSTANT (flowing at the real pace)."""
    previous = process_clock()
    pinned: SystemClock = (
        SystemClock() if request.node.get_closest_marker("real_clock") else ShiftedClock(PINNED_INSTANT)
    )
    use_clock(pinned)
    try:
        yield pinned
    finally:
        use_clock(previous)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        DATABASE_URL=database_url,
        ADMIN_IDS=str(ADMIN_ID),
        TELEGRAM_BOT_TOKEN="123456:TEST",
        SCHEDULER_INTERVAL_SECONDS=3600,  # tests run due tasks themselves, deterministically
        _env_file=None,
    )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        await truncate_all(engine)
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for service tests; the test commits (or not) as a caller would."""
    async with sessions() as session:
        yield session


@pytest.fixture
async def harness(settings: Settings, engine: AsyncEngine, clock: SystemClock) -> AsyncIterator[ChatHarness]:
    """The real Application on an in-process Bot API emulator (no network)."""
    chat = ChatHarness(settings, clock=clock)
    await chat.start()
    try:
        yield chat
    finally:
        await chat.stop()
        await asyncio.sleep(0)
