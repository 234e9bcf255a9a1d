"""Fixtures: a migrated test database (SQLite or PostgreSQL), settings, sessions, and a chat harness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.database import make_engine, make_sessionmaker
from bot.harness import ChatHarness
from tests.support.databases import fresh_database, truncate_all

ADMIN_ID = 900001
STAFF_ID = 900002
RESIDENT_ID = 100001


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
async def harness(settings: Settings, engine: AsyncEngine) -> AsyncIterator[ChatHarness]:
    """The real Application on an in-process Bot API emulator (no network)."""
    chat = ChatHarness(settings)
    await chat.start()
    try:
        yield chat
    finally:
        await chat.stop()
        await asyncio.sleep(0)
