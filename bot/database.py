"""Async engine, session factory and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the engine; on SQLite every transaction is BEGIN IMMEDIATE.

    SQLite has no SELECT … FOR UPDATE. Taking the write lock when a transaction begins serialises
    read-then-write sequences (a booking reading free places, then inserting), so the same service
    code is race-free on SQLite and on PostgreSQL (where services lock rows explicitly).
    """
    # Statement parameters never reach exception messages (or the logs and alerts built from them):
    # they carry residents' complaint texts, names and phone numbers.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        _ensure_sqlite_parent(url)
        # Every transaction ends in an explicit COMMIT or ROLLBACK (see `transaction`), so the pool's
        # extra rollback on check-in is only a wasted round trip to aiosqlite's thread.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _ensure_sqlite_parent(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error. Callers own it, services never commit."""
    async with sessions() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_database(engine: AsyncEngine) -> None:
    """Apply every pending migration (all heads) on the engine's database."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    def _heads(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        return await connection.run_sync(_heads)
