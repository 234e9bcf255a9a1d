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
import tempfile
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
    """The test run's database, on the server TEST_DATABASE_URL names (SQLite when it names none)."""
    url = requested_url()
    server = None if url is None or url.startswith("sqlite") else url
    with migrated_database(tmp_dir, server, prefix="cw_test") as database_url:
        yield database_url


@contextmanager
def migrated_database(tmp_dir: Path, server_url: str | None, *, prefix: str) -> Iterator[str]:
    """A new, migrated database: a SQLite file in ``tmp_dir`` when ``server_url`` is None, else a
    database ``<prefix>_<random>`` created on that PostgreSQL server and dropped afterwards."""
    if server_url is None:
        database_url = f"sqlite+aiosqlite:///{tmp_dir / (prefix + '.sqlite3')}"
        asyncio.run(migrate(database_url))
        yield database_url
        return
    server = make_url(server_url)
    admin = server.render_as_string(hide_password=False)
    name = f"{prefix}_{secrets.token_hex(4)}"
    asyncio.run(admin_statement(admin, f'CREATE DATABASE "{name}"'))
    database_url = server.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(migrate(database_url))
        yield database_url
    finally:
        asyncio.run(admin_statement(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def bench_database(server_url: str | None) -> Iterator[str]:
    """A benchmark's own migrated database ``cw_bench_<random>`` (SQLite in a temporary directory
    when ``server_url`` is None)."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        migrated_database(Path(tmp), server_url, prefix="cw_bench") as url,
    ):
        yield url


def postgres_server(database_url: str | None) -> str | None:
    """A benchmark's PostgreSQL server: ``--database-url`` or else TEST_DATABASE_URL, if it names one."""
    url = database_url or requested_url()
    return url if url and url.startswith("postgresql") else None


async def admin_statement(url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
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
