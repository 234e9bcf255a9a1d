"""Durable scheduled tasks: schedule once, fire once, survive restarts.

A feature schedules a task with a unique key (``schedule``); one repeating APScheduler job from
PTB's JobQueue (``run_due_tasks``) claims due tasks and runs the handler registered for their kind.

Guarantees:
- Scheduling is idempotent: the same key is stored once, however often it is scheduled.
- Firing is at most once: a task is claimed (status ``running``, committed) before its handler runs,
  with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so two bot processes never claim the same row. A crash
  between the claim and the end of the handler leaves it ``running``; at start-up such tasks are
  marked ``failed`` ("interrupted") rather than run again — a reminder is better missed than doubled.
- Tasks due while the bot was down fire when it starts again (unless their handler says they are stale).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock, process_clock, utcnow
from bot.database import insert_with_conflicts, transaction
from bot.models import ScheduledTask, TaskStatus

log = logging.getLogger(__name__)

TaskHandler = Callable[[ScheduledTask], Awaitable[None]]


async def schedule(
    session: AsyncSession, key: str, kind: str, due_at: datetime, payload: dict[str, Any] | None = None
) -> bool:
    """Store a task unless one with this key exists (here or in another process, a moment ago);
    returns True when it was added. One statement: ON CONFLICT on the unique key decides."""
    statement = (
        insert_with_conflicts(session, ScheduledTask)
        .values(key=key, kind=kind, due_at=due_at, payload=payload or {})  # the rest: column defaults
        .on_conflict_do_nothing(index_elements=[ScheduledTask.key])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def cancel(session: AsyncSession, key: str | None = None, *, key_prefix: str | None = None) -> int:
    """Cancel pending tasks by exact key or key prefix; returns how many were cancelled."""
    query = update(ScheduledTask).where(ScheduledTask.status == TaskStatus.PENDING)
    if key is not None:
        query = query.where(ScheduledTask.key == key)
    elif key_prefix is not None:
        query = query.where(ScheduledTask.key.startswith(key_prefix, autoescape=True))
    else:
        raise ValueError("cancel needs key or key_prefix")
    result = await session.execute(query.values(status=TaskStatus.CANCELLED, finished_at=utcnow()))
    return int(getattr(result, "rowcount", 0))


async def reschedule(session: AsyncSession, key: str, due_at: datetime) -> bool:
    result = await session.execute(
        update(ScheduledTask)
        .where(ScheduledTask.key == key, ScheduledTask.status == TaskStatus.PENDING)
        .values(due_at=due_at)
    )
    return bool(getattr(result, "rowcount", 0))


async def claim_due(
    session: AsyncSession, now: datetime, limit: int = 100, kinds: Collection[str] | None = None
) -> list[ScheduledTask]:
    """Claim due pending tasks (of ``kinds``, when given) for this process; the caller commits
    before running them."""
    query = select(ScheduledTask).where(
        ScheduledTask.status == TaskStatus.PENDING, ScheduledTask.due_at <= now
    )
    if kinds is not None:
        query = query.where(ScheduledTask.kind.in_(list(kinds)))
    rows = (
        await session.scalars(
            query.order_by(ScheduledTask.due_at, ScheduledTask.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for task in rows:
        task.status = TaskStatus.RUNNING
        task.claimed_at = now
    await session.flush()
    return list(rows)


async def mark_interrupted(session: AsyncSession) -> int:
    """At start-up: tasks a crashed process had claimed are not run again (at most once)."""
    result = await session.execute(
        update(ScheduledTask)
        .where(ScheduledTask.status == TaskStatus.RUNNING)
        .values(status=TaskStatus.FAILED, error="interrupted by a restart", finished_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0))


class TaskRunner:
    """Maps task kinds to handlers and runs what is due by its clock."""

    def __init__(self, clock: SystemClock | None = None) -> None:
        self.handlers: dict[str, TaskHandler] = {}
        self.clock = clock or process_clock()

    def register(self, kind: str, handler: TaskHandler) -> None:
        self.handlers[kind] = handler

    async def run_due(
        self,
        sessions: async_sessionmaker[AsyncSession],
        now: datetime | None = None,
        *,
        kinds: Collection[str] | None = None,
    ) -> int:
        """Claim and run every task due at ``now`` (the clock's now by default), only of ``kinds``
        when given; returns how many ran. Failures are recorded, never raised."""
        now = now or self.clock.now()
        async with transaction(sessions) as session:
            tasks = await claim_due(session, now, kinds=kinds)
        for task in tasks:
            handler = self.handlers.get(task.kind)
            status, error = TaskStatus.DONE, None
            if handler is None:
                status, error = TaskStatus.FAILED, f"no handler for kind {task.kind!r}"
            else:
                try:
                    await handler(task)
                except Exception as exc:
                    log.exception("scheduled task %s (%s) failed", task.key, task.kind)
                    status, error = TaskStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            async with transaction(sessions) as session:
                await session.execute(
                    update(ScheduledTask)
                    .where(ScheduledTask.id == task.id)
                    .values(status=status, error=error, finished_at=self.clock.now())
                )
        return len(tasks)


def stale(due_at: datetime, now: datetime, grace: timedelta) -> bool:
    """True when a task fires so long after its time that doing it would confuse (e.g. a 1 h reminder)."""
    return now - due_at > grace
