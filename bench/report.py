"""Supervision report benchmark: generation time with 100,000 complaints, 10,000 volunteers and
50,000 shift bookings in the database (plus nominations, notices and their deliveries), on SQLite
and PostgreSQL.

The data is bulk-inserted with executemany (Core ``insert`` with lists of rows), spread over two
quarters so the report and its previous-period comparison both have work to do.

Printed per database:
- ``report.quarter`` / ``report.month``: building every section (aggregate SQL), median of runs;
  ``report.complaints_quarter``: only the complaint sections (by category, by department, 红黑榜);
  baseline for both quarter rows: the complaint figures of the same quarter computed the naive way —
  fetch the quarter's ticket rows and loop over them in Python — in the same run on the same database;
- ``report.render``: text + PNG + XLSX for the quarter (CPU only, no database);
- ``count_star``: a plain ``SELECT COUNT(*)`` over tickets, shift bookings and volunteer profiles,
  as the floor a database can do on these tables.

PostgreSQL runs when ``--database-url`` (or TEST_DATABASE_URL) names a server: a fresh database
``cw_bench_<random>`` is created there, migrated, and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

import handlers
from bench.run import result
from bot.database import make_engine, make_sessionmaker, transaction
from bot.models import (
    Nomination,
    Shift,
    ShiftBooking,
    Ticket,
    TicketStatus,
    User,
    VolunteerProfile,
)
from bot.models.broadcasts import Broadcast, Delivery
from bot.services import reports
from bot.services.reports import Period, PeriodKind
from handlers.staff.rendering import render_all
from tests.support.databases import bench_database, postgres_server

QUARTER = Period(PeriodKind.QUARTER, 2026, 3)
MONTH = Period(PeriodKind.MONTH, 2026, 9)
CATEGORIES = {
    "sanitation": "huanwei",
    "traffic": "jiaojing",
    "street_vending": "chengguan",
    "illegal_ads": "chengguan",
    "triage": "wenmingban",
}
DISTRICTS = ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区"]
CHUNK = 5_000
COMPLAINT_SECTIONS = ["complaints_by_category", "complaints_by_department", "honor_board"]


async def _bulk(engine: AsyncEngine, model: Any, rows: list[dict[str, Any]]) -> None:
    """executemany in chunks (no ORM objects)."""
    async with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            await connection.execute(insert(model), rows[start : start + CHUNK])


async def populate(engine: AsyncEngine, complaints: int, volunteers: int, bookings: int) -> None:
    rng = random.Random(20261127)
    begin = QUARTER.previous().start
    span = (QUARTER.end - begin).total_seconds()
    now = datetime(2026, 10, 15, tzinfo=UTC)

    users = [
        {"id": 10_000_000 + i, "display_name": f"志愿者{i}", "role": "volunteer"} for i in range(volunteers)
    ]
    for row in users:
        row["created_at"] = row["updated_at"] = begin
    await _bulk(engine, User, users)
    await _bulk(
        engine,
        VolunteerProfile,
        [
            {
                "user_id": u["id"],
                "real_name": "张三",
                "phone": "13800138000",
                "district": rng.choice(DISTRICTS),
                "consent_at": begin,
                "created_at": begin + timedelta(seconds=rng.random() * span),
                "updated_at": begin,
            }
            for u in users
        ],
    )

    categories = list(CATEGORIES)
    tickets = []
    for i in range(complaints):
        created = begin + timedelta(seconds=rng.random() * span)
        category = rng.choice(categories)
        limit = rng.choice([24, 48, 72])
        due = created + timedelta(hours=limit)
        fate = rng.random()
        row: dict[str, Any] = {
            "number": f"TS-{i:09d}",
            "text": "投诉内容",
            "category_id": category,
            "department_id": CATEGORIES[category],
            "time_limit_hours": float(limit),
            "due_at": due,
            "created_at": created,
            "updated_at": created,
            "status": TicketStatus.ACCEPTED.value,
            "resolved_at": None,
            "rating": None,
        }
        if fate < 0.8:
            row["resolved_at"] = created + timedelta(hours=rng.expovariate(1 / (limit * 0.7)))
            row["status"] = TicketStatus.CLOSED.value
            row["rating"] = rng.choice([None, 3, 4, 5, 5, 2])
        elif fate < 0.85:
            row["status"] = TicketStatus.DUPLICATE.value
        elif fate < 0.9:
            row["status"] = TicketStatus.REJECTED.value
        tickets.append(row)
    await _bulk(engine, Ticket, tickets)

    per_shift = 25
    shift_count = max(1, bookings // per_shift)
    await _bulk(
        engine,
        Shift,
        [
            {
                "id": s + 1,
                "title": "文明劝导",
                "place": "路口",
                "district": rng.choice(DISTRICTS),
                "starts_at": (start := begin + timedelta(seconds=rng.random() * span)),
                "ends_at": start + timedelta(hours=2),
                "capacity": per_shift,
                "status": "active",
                "created_at": begin,
                "updated_at": begin,
            }
            for s in range(shift_count)
        ],
    )
    booking_rows = []
    for s in range(shift_count):
        for position, offset in enumerate(rng.sample(range(volunteers), min(per_shift, volunteers)), 1):
            status = rng.choices(["completed", "no_show", "cancelled", "confirmed"], [70, 15, 10, 5])[0]
            booking_rows.append(
                {
                    "shift_id": s + 1,
                    "user_id": users[offset]["id"],
                    "status": status,
                    "position": position,
                    "booked_at": begin,
                    "checked_in_at": begin if status == "completed" else None,
                    "service_minutes": 120 if status == "completed" else 0,
                    "updated_at": begin,
                }
            )
    await _bulk(engine, ShiftBooking, booking_rows[:bookings])

    kinds = ["helping_others", "bravery", "honesty", "dedication", "filial_piety"]
    stages = ["submitted", "shortlisted", "rejected", "approved", "published"]
    await _bulk(
        engine,
        Nomination,
        [
            {
                "kind": rng.choice(kinds),
                "status": rng.choice(stages),
                "nominee_name": f"好人{i}",
                "community": "幸福里社区",
                "nominee_key": f"k{i}",
                "story": "事迹",
                "photos": [],
                "created_at": (created := begin + timedelta(seconds=rng.random() * span)),
                "updated_at": created,
            }
            for i in range(2_000)
        ],
    )
    await _bulk(
        engine,
        Broadcast,
        [
            {
                "id": b + 1,
                "text": "通知",
                "audience_kind": rng.choice(["volunteers", "topic", "district"]),
                "schedule_kind": "now",
                "status": "finished",
                "created_at": begin,
                "updated_at": begin,
            }
            for b in range(40)
        ],
    )
    await _bulk(
        engine,
        Delivery,
        [
            {
                "broadcast_id": b + 1,
                "occurrence": 0,
                "user_id": users[u]["id"],
                "chat_id": users[u]["id"],
                "status": rng.choices(["sent", "failed", "unreachable"], [90, 5, 5])[0],
                "next_attempt_at": now,
                "created_at": begin + timedelta(days=b * 4),
            }
            for b in range(40)
            for u in range(0, volunteers, 20)
        ],
    )


async def python_loop_baseline(engine: AsyncEngine, period: Period) -> float:
    """The complaint figures the naive way: fetch the period's rows, count and sort in Python."""
    started = time.perf_counter()
    sessions = make_sessionmaker(engine)
    async with transaction(sessions) as session:
        rows = (
            await session.execute(
                select(
                    Ticket.category_id,
                    Ticket.department_id,
                    Ticket.status,
                    Ticket.created_at,
                    Ticket.resolved_at,
                    Ticket.due_at,
                    Ticket.rating,
                ).where(
                    (Ticket.created_at >= period.start) & (Ticket.created_at < period.end)
                    | (Ticket.resolved_at >= period.start) & (Ticket.resolved_at < period.end)
                )
            )
        ).all()
    figures: dict[tuple[str, str], dict[str, Any]] = {}
    for category, department, status, created, resolved, due, rating in rows:
        for key in (("c", category), ("d", department)):
            f = figures.setdefault(
                key, {"received": 0, "resolved": 0, "on_time": 0, "hours": [], "ratings": []}
            )
            if period.contains(created) and status is not TicketStatus.DUPLICATE:
                f["received"] += 1
            if resolved is not None and period.contains(resolved):
                f["resolved"] += 1
                f["on_time"] += int(due is None or resolved <= due)
                f["hours"].append((resolved - created).total_seconds() / 3600)
                if rating is not None:
                    f["ratings"].append(rating)
    for f in figures.values():
        f["median"] = statistics.median(f["hours"]) if f["hours"] else None
    return time.perf_counter() - started


async def _measure(url: str, sizes: tuple[int, int, int], runs: int) -> dict[str, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        await populate(engine, *sizes)
        populate_seconds = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            async with engine.connect() as connection:
                await connection.execute(text("ANALYZE"))
        sessions = make_sessionmaker(engine)

        async def timed(period: Period, only: list[str] | None = None) -> tuple[float, Any]:
            times, report = [], None
            for _ in range(runs):
                started = time.perf_counter()
                async with transaction(sessions) as session:
                    report = await reports.build_report(
                        session, period, handlers.report_sections(), only=only
                    )
                times.append(time.perf_counter() - started)
            return statistics.median(times), report

        quarter_seconds, quarter_report = await timed(QUARTER)
        month_seconds, _ = await timed(MONTH)
        complaints_seconds, _ = await timed(QUARTER, COMPLAINT_SECTIONS)
        loop_seconds = statistics.median([await python_loop_baseline(engine, QUARTER) for _ in range(runs)])
        started = time.perf_counter()
        async with transaction(sessions) as session:
            for model in (Ticket, ShiftBooking, VolunteerProfile):
                await session.scalar(select(func.count()).select_from(model))
        count_seconds = time.perf_counter() - started
        await asyncio.to_thread(render_all, quarter_report)  # warm-up: matplotlib loads the CJK font once
        started = time.perf_counter()
        await asyncio.to_thread(render_all, quarter_report)
        render_seconds = time.perf_counter() - started
        return {
            "populate": populate_seconds,
            "quarter": quarter_seconds,
            "month": month_seconds,
            "complaints": complaints_seconds,
            "python_loop": loop_seconds,
            "count_star": count_seconds,
            "render": render_seconds,
        }
    finally:
        await engine.dispose()


def bench(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    sizes = (10_000, 1_000, 5_000) if quick else (100_000, 10_000, 50_000)
    runs = 1 if quick else 3
    rows: list[dict[str, Any]] = []
    targets = [("sqlite", None)]
    postgres = postgres_server(database_url)
    if postgres:
        targets.append(("postgresql", postgres))
    else:
        rows.append({"name": "report.postgresql", "skipped": "no --database-url / TEST_DATABASE_URL"})
    for kind, server in targets:
        with bench_database(server) as url:
            m = asyncio.run(_measure(url, sizes, runs))
        extra = {"complaints": sizes[0], "volunteers": sizes[1], "bookings": sizes[2], "database": kind}
        rows.append(
            result(
                f"report.quarter.{kind}",
                m["quarter"],
                "s",
                baseline=m["python_loop"],
                higher_is_better=False,
                baseline_is="complaint figures by a Python loop over the quarter's rows",
                count_star_s=round(m["count_star"], 4),
                populate_s=round(m["populate"], 1),
                **extra,
            )
        )
        rows.append(
            result(
                f"report.complaints_quarter.{kind}",
                m["complaints"],
                "s",
                baseline=m["python_loop"],
                higher_is_better=False,
                baseline_is="the same complaint figures by a Python loop over the quarter's rows",
                **extra,
            )
        )
        rows.append(
            result(
                f"report.month.{kind}",
                m["month"],
                "s",
                baseline=m["count_star"],
                higher_is_better=False,
                baseline_is="SELECT COUNT(*) over tickets, shift_bookings, volunteer_profiles",
                **extra,
            )
        )
        rows.append(result(f"report.render.{kind}", m["render"], "s", higher_is_better=False, **extra))
    return rows
