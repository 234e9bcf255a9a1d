"""Async engine, session factory and schema migrations (Alembic) for SQLite and PostgreSQL.

Units of work are ``transaction(sessions)`` (writes) and ``transaction(sessions, read_only=True)``
(reads). On SQLite they differ in what they lock:

- a write transaction begins with BEGIN IMMEDIATE, taking the database's single write lock at once.
  SQLite has no SELECT … FOR UPDATE; taking the lock when the transaction begins serialises
  read-then-write sequences (a booking reading free places, then inserting), so the same service
  code is race-free on SQLite and on PostgreSQL (where services lock rows explicitly). Writers of
  this process also queue on an asyncio lock first, in order, instead of polling SQLite's busy
  handler (which sleeps up to 100 ms between tries) from several threads.
- a read transaction begins DEFERRED: in WAL mode it reads a consistent snapshot and never waits
  for a writer, so role checks and read-only commands answer even while another process holds the
  write lock for a long time.

A writer that cannot get the lock because it has not moved for the busy timeout (another process
holds it) fails with an error that ``is_database_busy`` recognises (the error handler answers
「系统繁忙，请稍后再试」). PostgreSQL needs none of this: both kinds are plain transactions there.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import weakref
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event, exc, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.config import PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_BUSY_TIMEOUT_SECONDS = 5.0
# Execution options set by `transaction`: the transaction is read-only; how long (seconds) a writer
# may still wait for SQLite's write lock.
READ_ONLY = "chuangwen_read_only"
LOCK_WAIT = "chuangwen_lock_wait"
_WRITE_STATEMENT = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b|\bFOR UPDATE\b", re.I)


class DatabaseBusy(Exception):
    """The write lock stayed taken longer than the busy timeout (another writer holds it)."""


class ReadOnlyViolation(Exception):
    """A transaction declared read-only tried to write (or to lock rows for writing)."""


def is_database_busy(error: BaseException | None) -> bool:
    """True for "the database is busy, try again later" — not a bug, nothing to report with a code."""
    if isinstance(error, DatabaseBusy | exc.TimeoutError):  # TimeoutError: no pooled connection free
        return True
    if isinstance(error, exc.OperationalError):  # SQLite's SQLITE_BUSY / SQLITE_LOCKED
        message = str(error.orig).lower()
        return "database is locked" in message or "database table is locked" in message
    return False


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class _WriteGate:
    """This process's writers, one at a time, first come first served (SQLite only).

    A writer gives up (DatabaseBusy) only when it has waited the busy timeout *and* the turn has
    not changed hands for that long: a long queue that keeps moving is load, not a stuck lock, and
    everyone in it is served in order. A turn that does not move means the writer in front is
    waiting for another process's lock.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._taken = False
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._handed_over = 0.0  # loop time the turn last changed hands

    def _reset_for(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not loop:  # an engine may outlive a test's event loop
            self._loop, self._taken, self._waiters = loop, False, deque()

    @asynccontextmanager
    async def held(self) -> AsyncIterator[float]:
        """Hold the process's write turn; yields how long a wait for SQLite's lock may still take
        (the busy timeout less the time queued, but at least MIN_LOCK_WAIT)."""
        loop = asyncio.get_running_loop()
        self._reset_for(loop)
        arrived = loop.time()
        if self._taken or self._waiters:
            await self._wait_for_turn(loop, arrived)
        else:
            self._taken = True
        self._handed_over = loop.time()
        try:
            yield max(min(MIN_LOCK_WAIT, self.timeout), self.timeout - (loop.time() - arrived))
        finally:
            self._pass_on(loop)

    async def _wait_for_turn(self, loop: asyncio.AbstractEventLoop, arrived: float) -> None:
        turn: asyncio.Future[None] = loop.create_future()
        self._waiters.append(turn)
        try:
            while True:
                still = self.timeout - (loop.time() - max(arrived, self._handed_over))
                if still <= 0:
                    raise DatabaseBusy(f"the write turn has not moved for {self.timeout:g} s")
                try:
                    await asyncio.wait_for(asyncio.shield(turn), still)
                    return
                except TimeoutError:
                    continue  # look again: the turn may have moved meanwhile
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._pass_on(loop)  # the turn came just now: give it to the next one
            else:
                turn.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(turn)
            raise

    def _pass_on(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handed_over = loop.time()
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)  # still taken: it now belongs to that writer
                return
        self._taken = False


_write_gates: weakref.WeakKeyDictionary[Engine, _WriteGate] = weakref.WeakKeyDictionary()
# A writer that queued longer than this in the process tells SQLite to wait only for what is left,
# but never less than MIN_LOCK_WAIT (writers outside the queue, e.g. other processes, come and go).
QUEUE_WAIT_WORTH_NOTING = 0.05
MIN_LOCK_WAIT = 1.0


def make_engine(
    url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS, **kwargs: Any
) -> AsyncEngine:
    """Create the engine (see the module docstring for how SQLite transactions lock).

    ``busy_timeout``: how long a SQLite writer waits for the write lock before giving up.
    """
    # Statement parameters never reach exception messages (or the logs and alerts built from them):
    # they carry residents' complaint texts, names and phone numbers.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        _ensure_sqlite_parent(url)
        # Every transaction ends in an explicit COMMIT or ROLLBACK (see `transaction`), so the pool's
        # extra rollback on check-in is only a wasted round trip to aiosqlite's thread.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, connect_args={"timeout": busy_timeout}, **kwargs)
        _write_gates[engine.sync_engine] = _WriteGate(busy_timeout)

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
            options = conn.get_execution_options()
            if options.get(READ_ONLY, False):
                conn.exec_driver_sql("BEGIN")
                return
            lock_wait = options.get(LOCK_WAIT)
            if lock_wait is None:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            # What is left of the busy timeout after queueing in the process: a writer waits for
            # the lock at most busy_timeout in all, not once in the queue and again in SQLite.
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(lock_wait * 1000)}")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")

    else:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _refuse_writes_when_read_only(
        conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        # Declared reads must stay reads: on SQLite a deferred transaction that writes would need the
        # write lock after all (and could fail once another writer committed since it began).
        if conn.get_execution_options().get(READ_ONLY, False) and _WRITE_STATEMENT.search(statement):
            raise ReadOnlyViolation(f"write in a read-only transaction: {statement[:80]}")

    return engine


def _ensure_sqlite_parent(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def insert_with_conflicts(session: AsyncSession, model: Any) -> Any:
    """INSERT into ``model``'s table with ``on_conflict_do_nothing``/``on_conflict_do_update``, in the
    session's dialect (both SQLite and PostgreSQL have ON CONFLICT): one statement instead of a
    read-then-insert that races with other writers, or a savepoint around an insert."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession], *, read_only: bool = False
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error. Callers own it, services never commit.

    ``read_only=True`` for units that only read (role checks, lists, reports, statistics, exports):
    on SQLite they neither take nor wait for the write lock. Keep write units short: render, send
    and compute outside them.
    """
    if read_only:
        async with sessions() as session, session.begin():
            await session.connection(execution_options={READ_ONLY: True})
            yield session
        return
    gate = _write_gate(sessions)
    if gate is None:
        async with sessions() as session, session.begin():
            yield session
        return
    async with gate.held() as left, sessions() as session, session.begin():
        if left < gate.timeout - QUEUE_WAIT_WORTH_NOTING:
            await session.connection(execution_options={LOCK_WAIT: left})
        yield session


def _write_gate(sessions: async_sessionmaker[AsyncSession]) -> _WriteGate | None:
    bind = sessions.kw.get("bind")
    return _write_gates.get(bind.sync_engine) if isinstance(bind, AsyncEngine) else None


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # Alembic is only needed when the schema is behind

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_database(engine: AsyncEngine) -> None:
    """Apply every pending migration (all heads) on the engine's database."""

    from alembic import command

    def _upgrade(connection: Connection) -> None:
        config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.M)


def script_heads() -> set[str] | None:
    """The head revisions of ``migrations/versions``, read from the files without importing Alembic.

    None when a file does not have the usual ``revision = …`` / ``down_revision = …`` lines: the
    caller then lets Alembic decide.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision[1])
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down[1]))
    return revisions - parents or None


async def migrate_if_behind(engine: AsyncEngine) -> bool:
    """Upgrade the schema unless it is already at the heads; returns True when it upgraded.

    Start-up runs this every time: the usual answer ("up to date") costs one read-only query and no
    Alembic import, and takes no write lock.
    """
    heads = script_heads()
    if heads is not None:
        try:
            async with engine.connect() as connection:
                await connection.execution_options(**{READ_ONLY: True})
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                if {row[0] for row in rows} == heads:
                    return False
        except exc.DBAPIError:  # no alembic_version table yet: a new database
            pass
    await upgrade_database(engine)
    return True


async def current_revisions(engine: AsyncEngine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    def _heads(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        return await connection.run_sync(_heads)
