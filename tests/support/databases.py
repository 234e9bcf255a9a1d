"""Test databases: a fresh, migrated database per test run, on SQLite or PostgreSQL.

TEST_DATABASE_URL chooses the server: unset → a SQLite file in a temporary directory;
``postgresql+asyncpg://user@host:port/anydb`` → a new database ``cw_test_<random>`` is created on
that server for this run (the named database is only used to connect) and dropped afterwards, so
parallel runs never meet.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.cli import migrate
from bot.models import Base


def requested_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    url = requested_url()
    if url is None or url.startswith("sqlite"):
        database_url = f"sqlite+aiosqlite:///{tmp_dir / 'test.sqlite3'}"
        asyncio.run(migrate(database_url))
        yield database_url
        return
    server = make_url(url)
    name = f"cw_test_{secrets.token_hex(4)}"
    asyncio.run(_admin(server.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"'))
    database_url = server.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(migrate(database_url))
        yield database_url
    finally:
        asyncio.run(
            _admin(
                server.render_as_string(hide_password=False), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )
        )


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def truncate_all(engine: AsyncEngine) -> None:
    """Empty every table (fast isolation between tests; the schema stays)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
        else:
            for table in tables:
                await connection.execute(text(f'DELETE FROM "{table}"'))
