"""Reads never wait for the write lock; writers that cannot get it fail soon and say so politely.

The SQLite tests make their own SQLite database (whatever TEST_DATABASE_URL says), because the
write lock they are about is SQLite's; "another process" is a second sqlite3 connection holding it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import migrate
from bot.config import Settings
from bot.database import (
    DatabaseBusy,
    ReadOnlyViolation,
    _write_gate,
    is_database_busy,
    make_engine,
    make_sessionmaker,
    migrate_if_behind,
    script_heads,
    transaction,
)
from bot.harness import ChatHarness
from bot.models import User
from handlers.common import texts
from handlers.nominations import texts as nomination_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID


@pytest.fixture
async def sqlite_path(tmp_path: Path) -> Path:
    path = tmp_path / "locking.sqlite3"
    await migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
async def sqlite_engine(sqlite_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{sqlite_path}", busy_timeout=0.3)
    try:
        yield engine
    finally:
        await engine.dispose()


@contextmanager
def write_lock_held(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection (as another process would) takes the write lock and keeps it."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO users (id, display_name, role, created_at, updated_at) "
            "VALUES (424242, '占锁', 'resident', '2026-01-01', '2026-01-01')"
        )
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_reads_answer_while_another_connection_holds_the_write_lock(
    sqlite_path: Path, sqlite_engine: AsyncEngine
) -> None:
    sessions = make_sessionmaker(sqlite_engine)
    async with transaction(sessions) as session:
        session.add(User(id=1, display_name="张三"))
    with write_lock_held(sqlite_path):
        async with transaction(sessions, read_only=True) as session:
            names = list(await session.scalars(select(User.display_name)))
        assert names == ["张三"]  # the other writer's uncommitted row is not seen
        with pytest.raises(Exception) as raised:
            async with transaction(sessions) as session:
                session.add(User(id=2, display_name="李四"))
        assert is_database_busy(raised.value)
    async with transaction(sessions) as session:  # the lock is free again: writes work
        session.add(User(id=2, display_name="李四"))
    async with transaction(sessions, read_only=True) as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 2


async def test_writers_of_one_process_take_turns_in_order(sqlite_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(sqlite_engine)
    order: list[int] = []
    first_inside = asyncio.Event()
    release_first = asyncio.Event()

    async def write(n: int) -> None:
        async with transaction(sessions) as session:
            order.append(n)
            if n == 0:
                first_inside.set()
                await release_first.wait()
            session.add(User(id=100 + n, display_name=f"居民{n}"))

    first = asyncio.create_task(write(0))
    await first_inside.wait()
    others = [asyncio.create_task(write(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0.05)
    assert order == [0]  # the others queue in the process, not in SQLite's busy handler
    release_first.set()
    await asyncio.gather(first, *others)
    assert order == [0, 1, 2, 3]


async def test_a_long_queue_that_keeps_moving_is_served_not_refused(sqlite_path: Path) -> None:
    """60 writers at once, each holding the turn 20 ms: the last waits longer than the busy timeout
    (1 s), but the turn keeps changing hands, so nobody is told the database is busy."""
    engine = make_engine(f"sqlite+aiosqlite:///{sqlite_path}", busy_timeout=1)
    sessions = make_sessionmaker(engine)
    order: list[int] = []

    async def write(n: int) -> None:
        async with transaction(sessions) as session:
            order.append(n)
            session.add(User(id=1000 + n, display_name=f"居民{n}"))
            await asyncio.sleep(0.02)

    try:
        await asyncio.gather(*(write(n) for n in range(60)))
    finally:
        await engine.dispose()
    assert order == list(range(60))


async def test_a_writer_queued_longer_than_the_busy_timeout_gives_up(sqlite_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(sqlite_engine)
    release = asyncio.Event()

    async def hold() -> None:
        async with transaction(sessions):
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0.01)
    with pytest.raises(DatabaseBusy) as raised:
        async with transaction(sessions):
            pass
    assert is_database_busy(raised.value)
    release.set()
    await holder


async def test_a_writer_that_queued_waits_for_the_lock_only_what_is_left(sqlite_path: Path) -> None:
    """Time spent queueing in the process counts against the busy timeout: SQLite is told to wait
    only for what is left (and the full wait is put back for the connection's next use)."""
    engine = make_engine(f"sqlite+aiosqlite:///{sqlite_path}", busy_timeout=2)
    sessions = make_sessionmaker(engine)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        with write_lock_held(sqlite_path):
            async with _write_gate(sessions).held():  # another writer of this process, for 0.1 s
                queued = asyncio.create_task(_try_to_write(sessions, 31))
                await asyncio.sleep(0.1)
            assert is_database_busy(await queued)
        waits = [s for s in statements if s.startswith("PRAGMA busy_timeout")]
        assert len(waits) == 2 and int(waits[0].split("=")[1]) <= 1900
        assert waits[1] == "PRAGMA busy_timeout = 2000"
        assert await _try_to_write(sessions, 32) is None  # the lock is free again
    finally:
        await engine.dispose()


async def _try_to_write(sessions: async_sessionmaker[AsyncSession], uid: int) -> BaseException | None:
    try:
        async with transaction(sessions) as session:
            session.add(User(id=uid, display_name="排队"))
    except Exception as error:
        return error
    return None


async def test_locked_database_read_only_commands_answer_and_writers_hear_busy(
    sqlite_path: Path, tmp_path: Path
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=f"sqlite+aiosqlite:///{sqlite_path}",
        ADMIN_IDS=str(ADMIN_ID),
        TELEGRAM_BOT_TOKEN="123456:TEST",
        SCHEDULER_INTERVAL_SECONDS=3600,
        DATABASE_BUSY_TIMEOUT_SECONDS=2,
        _env_file=None,
    )
    async with ChatHarness(settings) as harness:
        await harness.send(RESIDENT_ID, "/help")  # the user exists; everything below is reading
        with write_lock_held(sqlite_path):
            (help_text,) = await harness.send(RESIDENT_ID, "/help")
            assert help_text.text.startswith(texts.HELP_HEADER)
            (listing,) = await harness.send(RESIDENT_ID, "/convention")
            assert listing.buttons()
            (shifts,) = await harness.send(RESIDENT_ID, "/shifts")
            assert texts.ERROR_REPLY.split("（")[0] not in shifts.text
            (honors,) = await harness.send(RESIDENT_ID, "/honors")
            assert honors.text == nomination_texts.HONORS_EMPTY
            (busy,) = await harness.send(RESIDENT_ID, "/subscribe")  # writes the user's row
            assert busy.text == texts.DATABASE_BUSY
        (menu,) = await harness.send(RESIDENT_ID, "/subscribe")  # free again
        assert menu.buttons()


async def test_a_read_only_transaction_refuses_to_write(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(ReadOnlyViolation):
        async with transaction(sessions, read_only=True) as session:
            session.add(User(id=7, display_name="王五"))
            await session.flush()
    async with transaction(sessions, read_only=True) as session:
        assert await session.get(User, 7) is None
        assert await session.scalar(text("SELECT 1")) == 1


async def test_read_and_write_transactions_on_the_test_database(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The same calls on PostgreSQL: plain transactions, nothing else changes."""
    async with transaction(sessions) as session:
        session.add(User(id=8, display_name="赵六"))
    async with transaction(sessions, read_only=True) as session:
        user = await session.get(User, 8)
        assert user is not None and user.display_name == "赵六"


async def test_the_schema_check_reads_the_heads_alembic_knows(engine: AsyncEngine) -> None:
    from alembic.script import ScriptDirectory

    from bot.database import alembic_config

    alembic_heads = set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
    assert script_heads() == alembic_heads
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert await migrate_if_behind(engine) is False  # the test database is migrated already
    assert not any(s.lstrip().upper().startswith(("CREATE", "ALTER", "INSERT", "UPDATE")) for s in statements)


async def test_a_new_database_is_migrated(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert await migrate_if_behind(engine) is True
        assert await migrate_if_behind(engine) is False
    finally:
        await engine.dispose()
