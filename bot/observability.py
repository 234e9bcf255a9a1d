"""What an operator watches: Prometheus metrics and the health report behind ``/healthz``.

Counters and histograms are recorded as things happen (updates by the update processor, database
errors by an engine event). Values that live in the database or in other objects — the broadcast
queue, the scheduler's backlog, the sender's tallies — are read when someone asks (``refresh``),
with read-only transactions, so a scrape never waits for SQLite's write lock.

The HTTP side (``/healthz``, ``/metrics``, the webhook) is ``bot.web``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import Engine, event, func, select, text
from telegram import Update

from bot.database import is_database_busy, transaction
from bot.sending import SENDER_RESOURCE
from bot.timeutil import ensure_aware, utcnow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.app import BotApplication, BotData

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- recorded as things happen
UPDATES = Counter(
    "chuangwen_updates", "Updates handled, by kind and result (ok, error, busy)", ["kind", "result"]
)
UPDATE_SECONDS = Histogram(
    "chuangwen_update_handling_seconds",
    "Time to handle one update, from when it may run (its user's turn and a free slot) to done",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
DATABASE_ERRORS = Counter(
    "chuangwen_database_errors", "Errors raised by the database driver, by kind (busy, other)", ["kind"]
)

# ---------------------------------------------------------------- read when asked (see refresh)
UPDATES_RUNNING = Gauge("chuangwen_updates_running", "Updates being handled right now")
UPDATES_QUEUED = Gauge("chuangwen_updates_queued", "Updates waiting for their user's turn or a free slot")
BROADCAST_QUEUE_DEPTH = Gauge(
    "chuangwen_broadcast_queue_depth", "Broadcast deliveries due and not yet sent (pending or claimed)"
)
BROADCAST_QUEUE_OLDEST_AGE = Gauge(
    "chuangwen_broadcast_queue_oldest_age_seconds",
    "How long the longest-waiting due broadcast delivery has been due",
)
DELIVERIES = Counter(
    "chuangwen_broadcast_deliveries",
    "Broadcast sends by this process, by result (sent, retried, rate_limited, unreachable, failed)",
    ["result"],
)
SCHEDULER_LAG = Gauge(
    "chuangwen_scheduler_lag_seconds", "How late the most overdue scheduled task is (0 when none is due)"
)
SCHEDULER_LAST_RUN_AGE = Gauge(
    "chuangwen_scheduler_last_run_age_seconds", "Seconds since the scheduler last looked for due tasks"
)
DATABASE_UP = Gauge("chuangwen_database_up", "1 when the database answered the last check, else 0")

DELIVERY_RESULTS = ("sent", "retried", "rate_limited", "unreachable", "failed")
DATABASE_CHECK_TIMEOUT = 2.0
SCHEDULER_RUN_KEY = "observability.scheduler_last_run"
STARTED_KEY = "observability.started"
_DELIVERIES_SEEN_KEY = "observability.deliveries_seen"


# ---------------------------------------------------------------- updates
@dataclass
class UpdateOutcome:
    kind: str
    result: str = "ok"


_current_outcome: ContextVar[UpdateOutcome | None] = ContextVar("update_outcome", default=None)


def update_kind(update: object) -> str:
    """A small, fixed set of labels (never user text: metric labels must stay few)."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback_query"
    message = update.message
    if message is None:
        return "edited_message" if update.edited_message is not None else "other"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    if message.location is not None:
        return "location"
    if message.photo:
        return "photo"
    return "other_message"


@contextlib.contextmanager
def observe_update(outcome: UpdateOutcome) -> Iterator[UpdateOutcome]:
    """Make ``outcome`` the current update's, so the error handler can mark it (``note_error``)."""
    token = _current_outcome.set(outcome)
    try:
        yield outcome
    except BaseException:
        outcome.result = "error"
        raise
    finally:
        _current_outcome.reset(token)


def record_update(outcome: UpdateOutcome, seconds: float) -> None:
    UPDATES.labels(outcome.kind, outcome.result).inc()
    UPDATE_SECONDS.labels(outcome.kind).observe(seconds)


async def note_error(update: object, context: Any) -> None:
    """A PTB error handler: the update being handled failed (or found the database busy).

    PTB runs error handlers inside the failing update's task, so the outcome set by the update
    processor is the current one here.
    """
    outcome = _current_outcome.get()
    if outcome is not None:
        outcome.result = "busy" if is_database_busy(context.error) else "error"


# ---------------------------------------------------------------- database errors
def watch_engine(engine: AsyncEngine) -> None:
    """Count every error the database driver raises (``handle_error`` sees all of them)."""
    sync_engine: Engine = engine.sync_engine
    if sync_engine in _watched_engines:
        return
    _watched_engines.add(sync_engine)
    event.listen(sync_engine, "handle_error", _count_database_error)


_watched_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def _count_database_error(context: Any) -> None:
    error = context.sqlalchemy_exception or context.original_exception
    DATABASE_ERRORS.labels("busy" if is_database_busy(error) else "other").inc()


# ---------------------------------------------------------------- the scheduler
def note_scheduler_run(data: BotData) -> None:
    data.resources[SCHEDULER_RUN_KEY] = time.monotonic()


def note_started(data: BotData) -> None:
    data.resources.setdefault(STARTED_KEY, time.monotonic())


# ---------------------------------------------------------------- health
@dataclass(frozen=True)
class Health:
    """The answer of ``/healthz``. ``ok`` is False when the database does not answer, or the
    scheduler has stopped looking for due tasks (a stuck event loop shows here too)."""

    ok: bool
    database: str
    scheduler_lag_seconds: float
    scheduler_last_run_age_seconds: float
    broadcast_queue_depth: int
    broadcast_queue_oldest_age_seconds: float
    updates_running: int
    updates_queued: int

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "unhealthy", **asdict(self)}


def scheduler_stall_seconds(data: BotData) -> float:
    """A scheduler that has not run for this long is stuck (ten intervals, at least a minute)."""
    return max(60.0, 10 * data.settings.scheduler_interval_seconds)


async def check(application: BotApplication, now: datetime | None = None) -> Health:
    """Ask the database and the running parts how they are; also refreshes the gauges."""
    from bot.models import Delivery, DeliveryStatus, ScheduledTask, TaskStatus

    data = application.bot_data
    now = now or utcnow()
    database = "ok"
    lag = oldest = 0.0
    depth = 0
    try:
        async with asyncio.timeout(DATABASE_CHECK_TIMEOUT):
            async with transaction(data.sessions, read_only=True) as session:
                await session.execute(text("SELECT 1"))
                overdue = await session.scalar(
                    select(func.min(ScheduledTask.due_at)).where(
                        ScheduledTask.status == TaskStatus.PENDING, ScheduledTask.due_at <= now
                    )
                )
                queued = (
                    await session.execute(
                        select(func.count(), func.min(Delivery.next_attempt_at)).where(
                            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
                            Delivery.next_attempt_at <= now,
                        )
                    )
                ).one()
        if overdue is not None:
            lag = max(0.0, (now - ensure_aware(overdue)).total_seconds())
        depth = int(queued[0] or 0)
        if queued[1] is not None:
            oldest = max(0.0, (now - ensure_aware(queued[1])).total_seconds())
    except TimeoutError:
        database = f"no answer within {DATABASE_CHECK_TIMEOUT:g} s"
    except Exception as error:  # the report says what is wrong instead of failing itself
        database = f"{type(error).__name__}: {error}"[:300]
    monotonic = time.monotonic()
    last_run = data.resources.get(SCHEDULER_RUN_KEY, data.resources.get(STARTED_KEY, monotonic))
    last_run_age = monotonic - last_run
    processor = application.update_processor
    running = processor.current_concurrent_updates
    queued_updates = int(getattr(processor, "queued_updates", 0))
    health = Health(
        ok=database == "ok" and last_run_age < scheduler_stall_seconds(data),
        database=database,
        scheduler_lag_seconds=round(lag, 3),
        scheduler_last_run_age_seconds=round(last_run_age, 3),
        broadcast_queue_depth=depth,
        broadcast_queue_oldest_age_seconds=round(oldest, 3),
        updates_running=running,
        updates_queued=queued_updates,
    )
    DATABASE_UP.set(1 if database == "ok" else 0)
    SCHEDULER_LAG.set(lag)
    SCHEDULER_LAST_RUN_AGE.set(last_run_age)
    BROADCAST_QUEUE_DEPTH.set(depth)
    BROADCAST_QUEUE_OLDEST_AGE.set(oldest)
    UPDATES_RUNNING.set(running)
    UPDATES_QUEUED.set(queued_updates)
    _count_deliveries(data)
    return health


def _count_deliveries(data: BotData) -> None:
    """Add what the sender counted since the last look to the deliveries counter."""
    sender = data.resources.get(SENDER_RESOURCE)
    stats = getattr(sender, "stats", None)
    if stats is None:
        return
    seen: dict[str, int] = data.resources.setdefault(_DELIVERIES_SEEN_KEY, {})
    for result in DELIVERY_RESULTS:
        value = int(getattr(stats, result, 0))
        if value > seen.get(result, 0):
            DELIVERIES.labels(result).inc(value - seen.get(result, 0))
        seen[result] = value


async def metrics_text(application: BotApplication, registry: CollectorRegistry = REGISTRY) -> bytes:
    """The Prometheus text exposition, with the gauges read just now."""
    await check(application)
    return generate_latest(registry)
